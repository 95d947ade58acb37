# syntax=docker/dockerfile:1
#
# moot in a container. The final image holds the static `moot` binary (the
# web app is embedded in it when it is built), an empty /data for the
# database and an empty /tmp for SQLite, and nothing else: no shell, no
# libc, no package manager. It runs as an unprivileged user (10001).
#
#   docker build -t moot .
#   docker run -d --name moot -p 8080:8080 -v moot-data:/data moot \
#       --public-url https://moot.example.org --trust-forwarded-for
#
# Flags go after the image name, or as MOOT_* environment variables
# (`moot --help` lists them). README.md, "In a container", says more.

ARG RUST_VERSION=1.95

FROM rust:${RUST_VERSION}-bookworm AS builder
WORKDIR /src
# The web app is compiled to WebAssembly by `cargo xtask build-web`, which
# needs nothing but this target (no bundler, no npm).
RUN rustup target add wasm32-unknown-unknown
COPY . .
# Statically linked against glibc (`crt-static`): the binary needs no
# library at run time, so the final stage can be empty. moot resolves no
# host names, so glibc's static-linking caveat (NSS) does not apply. The
# `getrandom` crate finds glibc's getrandom() with dlsym, which a static
# binary cannot do (it would fall back to reading /dev/urandom), so it is
# told to call it directly. `--target` keeps these flags off build scripts
# and proc macros. The cache mounts keep downloaded crates and build output
# between builds; the binary is copied out of the cache in the same step.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    set -eu; \
    cargo xtask build-web; \
    target="$(uname -m)-unknown-linux-gnu"; \
    RUSTFLAGS='-C target-feature=+crt-static --cfg getrandom_backend="linux_getrandom"' \
        cargo build --release --locked -p moot-server --bin moot --target "$target"; \
    mkdir -p /out/data /out/tmp; \
    cp "target/$target/release/moot" /out/moot; \
    chmod 1777 /out/tmp; \
    /out/moot --version

FROM scratch
COPY --from=builder /out/moot /moot
# SQLite's temporary files (large sorts) go to /tmp.
COPY --from=builder /out/tmp /tmp
# The database lives in /data: mount a volume there. A named volume takes
# this directory's owner; a host directory must belong to uid 10001.
COPY --from=builder --chown=10001:10001 /out/data /data
USER 10001:10001
ENV MOOT_DATA_DIR=/data \
    MOOT_BIND=0.0.0.0 \
    MOOT_PORT=8080
VOLUME ["/data"]
EXPOSE 8080
# moot stops cleanly on SIGTERM (`docker stop`): it finishes what it was
# storing and closes the database. Health: GET /healthz on port 8080 (there
# is no shell or client in the image for a HEALTHCHECK command).
ENTRYPOINT ["/moot"]
