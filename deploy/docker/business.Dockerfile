# syntax=docker/dockerfile:1
# The business server (examples/business) as an image. Build from the repository root:
#
#   docker build -f deploy/docker/business.Dockerfile -t gim-business .
#
# The image holds no secret: give the database password and the sign-in code at run time.

FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q -pl examples/business -am package -DskipTests

FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 gim \
 && useradd --system --uid 10001 --gid gim --home-dir /var/lib/gim --shell /usr/sbin/nologin gim \
 && mkdir -p /var/lib/gim && chown gim:gim /var/lib/gim
WORKDIR /var/lib/gim
COPY --from=build /src/examples/business/target/gim-business.jar /opt/gim/gim-business.jar
COPY deploy/docker/healthcheck.sh /opt/gim/healthcheck.sh
USER 10001:10001
# 8001/8002 its own long connection, 8010 the Ext gRPC services (clients), 8011 the Int ones
# (UserIntService.Auth for the IM nodes: keep it private), 9090 /metrics and /health.
EXPOSE 8001 8002 8010 8011 9090
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["bash", "/opt/gim/healthcheck.sh", "http", "9090", "/health"]
ENTRYPOINT ["java", "-jar", "/opt/gim/gim-business.jar"]
CMD ["server", "--host", "0.0.0.0", "--data", "/var/lib/gim/data", "--metrics-port", "9090"]
