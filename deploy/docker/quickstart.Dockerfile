# syntax=docker/dockerfile:1
# The quickstart server (examples/quickstart) as an image. Build from the repository root:
#
#   docker build -f deploy/docker/quickstart.Dockerfile -t gim-quickstart .
#
# The image holds no secret: give GIM_SECRET (or --auth-grpc) and database passwords at run time.

FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
# The cache mount keeps ~/.m2 between builds (BuildKit, the default builder since Docker 23).
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q -pl examples/quickstart -am package -DskipTests

FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 gim \
 && useradd --system --uid 10001 --gid gim --home-dir /var/lib/gim --shell /usr/sbin/nologin gim \
 && mkdir -p /var/lib/gim && chown gim:gim /var/lib/gim
WORKDIR /var/lib/gim
COPY --from=build /src/examples/quickstart/target/gim-quickstart.jar /opt/gim/gim-quickstart.jar
COPY deploy/docker/healthcheck.sh /opt/gim/healthcheck.sh
USER 10001:10001
# 8001 TCP and 8002 WebSocket for clients, 7001 the node link (private), 9090 /metrics and /health.
EXPOSE 8001 8002 7001 9090
# The JVM sizes its heap from the container's memory limit.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["bash", "/opt/gim/healthcheck.sh", "http", "9090", "/health"]
# Exec form: the JVM is PID 1, gets SIGTERM and closes the server in its shutdown hook (up to 60 s).
ENTRYPOINT ["java", "-jar", "/opt/gim/gim-quickstart.jar"]
# --host 0.0.0.0 starts only with a real GIM_SECRET (or --auth-grpc): the development secret is refused.
CMD ["server", "--host", "0.0.0.0", "--metrics-port", "9090", "--data", "/var/lib/gim/data"]
