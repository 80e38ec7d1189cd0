"""What tests, the benchmark and test plugins share to drive the sandbox as its users do: fresh Okta
users (okta.py) and a browser without a browser (browser.py). Importable outside the test suite."""
