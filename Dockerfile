# One image for the four services (`nlc serve <service>`), the migration job (`nlc migrate`) and
# the web UI (`python -m services.cli.ui_container`). Build from the repository root:
#   docker build -t nlc-platform:<version> .
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /src
COPY pyproject.toml constraints.txt README.md ./
COPY protos ./protos
COPY services ./services
COPY ui ./ui
RUN pip install -c constraints.txt . && rm -rf /src

WORKDIR /app
COPY scripts/service_health.py ./scripts/

RUN useradd --system --uid 10001 --user-group --home-dir /var/lib/nlc --create-home nlc
USER 10001:10001

# In a container: listen on every interface, log JSON, keep the data folder in the user's home.
ENV HOME=/var/lib/nlc \
    NLC_HOME=/var/lib/nlc \
    NLC_HOST=0.0.0.0 \
    NLC_LOG_JSON=true

# gRPC 50051-50054, Prometheus metrics 9451-9454, UI 8501.
EXPOSE 50051 50052 50053 50054 9451 9452 9453 9454 8501
CMD ["nlc", "--help"]
