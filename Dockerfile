# syntax=docker/dockerfile:1
# The image of Clew's API and worker (compose.yaml runs it twice, with different commands).
# Neo4j and Redis run in their own images. Dependencies are installed from constraints.txt, the
# same pins as development. The GNN extra (torch, several GB) is left out unless asked for:
#   docker build --build-arg CLEW_EXTRAS=gnn .

FROM python:3.11-slim AS build
ARG CLEW_EXTRAS=""
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/clew
ENV PATH=/opt/clew/bin:$PATH
WORKDIR /src

# Dependencies first, in a layer of their own, so that a change to Clew's code does not
# reinstall them.
COPY pyproject.toml constraints.txt ./
RUN python -c "import tomllib; \
deps = tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']; \
open('/tmp/requirements.txt', 'w').write('\n'.join(deps) + '\n')" \
 && pip install -c constraints.txt -r /tmp/requirements.txt

COPY . .
RUN if [ -n "$CLEW_EXTRAS" ]; then target=".[$CLEW_EXTRAS]"; else target="."; fi \
 && pip install -c constraints.txt "$target"


FROM python:3.11-slim
# A fixed, unprivileged uid: the process never runs as root, and volume ownership is predictable.
RUN groupadd --system --gid 10001 clew \
 && useradd --system --uid 10001 --gid clew --create-home --home-dir /home/clew \
    --shell /usr/sbin/nologin clew
COPY --from=build /opt/clew /opt/clew
ENV PATH=/opt/clew/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1
USER clew
WORKDIR /home/clew
EXPOSE 8000
# `clew serve` arrives with the API issue; compose.yaml names the command of each service.
CMD ["clew", "serve", "--host", "0.0.0.0", "--port", "8000"]
