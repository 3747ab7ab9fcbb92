# phuluc serve in one container: built here, run as a non-root user, fonts inside.
#   docker build -t phuluc .
#   docker run -p 8080:8080 -v $PWD/token:/run/secrets/phuluc-token:ro phuluc
# Written and reviewed, not built in phuluc's CI (no container runtime there): see
# README, "Running it as a service".

FROM rust:1.92-slim-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin phuluc \
 && strip target/release/phuluc

FROM debian:bookworm-slim
# The built-in Liberation Serif is compiled into the binary; the folder is also shipped
# so an office can point --font-dir at its own Times New Roman beside it.
COPY --from=build /src/fonts /usr/share/phuluc/fonts
COPY --from=build /src/target/release/phuluc /usr/local/bin/phuluc
RUN useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin phuluc
USER 10001
EXPOSE 8080
# Any address but loopback needs a token: mount one at /run/secrets/phuluc-token.
ENTRYPOINT ["/usr/local/bin/phuluc", "serve", "--bind", "0.0.0.0:8080", \
            "--token-file", "/run/secrets/phuluc-token"]
# No curl in the image: the binary's own client is not there either, so probe with bash.
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /healthz HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && grep -q '200 OK' <&3"]
