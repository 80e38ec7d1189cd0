# One image for every party of the sandbox; compose.yaml picks the part per service (`--parts`).
FROM python:3.12-slim

WORKDIR /app
# Dependencies first, so code changes do not reinstall them (pyproject installs no packages of its own).
COPY pyproject.toml ./
RUN pip install --no-cache-dir .
COPY . .

# In a container every part listens on all interfaces; state (saved state, keys, sqlite) is in /state,
# a named volume in compose.yaml.
ENV PYTHONUNBUFFERED=1 SANDBOX_BIND_HOST=0.0.0.0 SANDBOX_STATE_DIR=/state
EXPOSE 4566 9000 9229 8000
CMD ["python", "manage.py", "sandbox"]
