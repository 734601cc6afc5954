# syntax=docker/dockerfile:1.7
# Build stage: the Maven wrapper, with the dependencies in a layer of their own.
FROM eclipse-temurin:17-jdk-noble AS build
WORKDIR /build
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q dependency:go-offline
COPY src src
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q package -DskipTests -Dspotless.check.skip=true \
 && java -Djarmode=tools -jar target/vpc-flowlogs-recorder.jar extract --layers --launcher --destination extracted

# Runtime stage: a JRE of the current LTS, Spring Boot's layers, a non-root user.
FROM eclipse-temurin:21-jre-noble
RUN groupadd --system --gid 10001 recorder \
 && useradd --system --uid 10001 --gid recorder --no-create-home --shell /usr/sbin/nologin recorder \
 && mkdir -p /app/data && chown recorder:recorder /app/data
WORKDIR /app
COPY --from=build /build/extracted/dependencies/ ./
COPY --from=build /build/extracted/spring-boot-loader/ ./
COPY --from=build /build/extracted/snapshot-dependencies/ ./
COPY --from=build /build/extracted/application/ ./
USER 10001
EXPOSE 8080
# Writable places with a read-only root filesystem: /tmp and the H2 data directory (unused with PostgreSQL).
VOLUME ["/tmp", "/app/data"]
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp"
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
