# syntax=docker/dockerfile:1.7
# Build stage: the Maven wrapper, with the dependencies in a layer of their own. The jar is compiled for Java 17, the
# oldest LTS the recorder supports (a user may run the jar on 17 or 21), and runs here on 25. The jar is the same on
# every architecture, so it is built once, on the builder's own ($BUILDPLATFORM); the runtime stage below is built per
# target platform (docker buildx build --platform linux/amd64,linux/arm64), so each architecture's image trains its own
# ahead-of-time cache with its own JVM.
FROM --platform=$BUILDPLATFORM eclipse-temurin:17-jdk-noble AS build
WORKDIR /build
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q dependency:go-offline
COPY src src
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q package -DskipTests -Dspotless.check.skip=true \
 && java -Djarmode=tools -jar target/vpc-flowlogs-recorder.jar extract --layers --destination extracted

# Runtime stage: a JRE of the current LTS (25), Spring Boot's layers, a non-root user.
FROM eclipse-temurin:25-jre-noble
RUN groupadd --system --gid 10001 recorder \
 && useradd --system --uid 10001 --gid recorder --no-create-home --shell /usr/sbin/nologin recorder \
 && mkdir -p /app/data && chown recorder:recorder /app/data
WORKDIR /app
COPY --from=build /build/extracted/dependencies/ ./
COPY --from=build /build/extracted/spring-boot-loader/ ./
COPY --from=build /build/extracted/snapshot-dependencies/ ./
COPY --from=build /build/extracted/application/ ./
# Ahead-of-time cache (JEPs 483, 514 and 515): a training run starts the recorder, asks for readiness and metrics,
# hands it an ALARM and an OK as the queue would (recorder.training-run), and exits; the classes it loaded and linked,
# and the profiles of the methods it ran, go into the cache, which the recorder maps at every start. It must run with
# the flags the recorder runs with (the collector, compact object headers). Nothing is reached over the network: the
# AWS endpoint is the training run's own, on the loopback address, which answers the EC2 calls of a spike (its flow
# logs made, and deleted once the OK's tail, 0 s here, is over) and refuses the rest. Its alarm pass and its
# preflight run at once (start-delay 0s), so that their code is in the cache too. See BENCHMARKS.md for what it saves.
RUN java -XX:AOTCacheOutput=vpc-flowlogs-recorder.aot -XX:+UseSerialGC -XX:+UseCompactObjectHeaders -jar vpc-flowlogs-recorder.jar --recorder.training-run=true --server.port=0 --spring.cloud.aws.region.static=us-east-1 --spring.cloud.aws.endpoint=http://127.0.0.1:4599 --spring.cloud.aws.credentials.access-key=training --spring.cloud.aws.credentials.secret-key=training --recorder.aws.max-attempts=1 --recorder.recording.tail=0s --recorder.alarms.start-delay=0s --recorder.preflight.start-delay=0s --spring.datasource.url=jdbc:h2:mem:training --recorder.nat-gateways[0].id=nat-00000000000000000 --recorder.flow-logs.delivery-role-arn=arn:aws:iam::000000000000:role/training
USER 10001
EXPOSE 8080
# Writable places with a read-only root filesystem: /tmp and the H2 data directory (unused with PostgreSQL).
VOLUME ["/tmp", "/app/data"]
# Compact object headers (JEP 519) make every object 4 bytes smaller; the Serial collector suits one or two cores and
# a small heap. The C1 compiler only (TieredStopAtLevel=1): on the quarter core we ship, C2 spent 50-57 s of compiler
# threads' time before readiness; without it the recorder was ready in 25 s instead of 43 s, on 6 CPU-seconds instead
# of 11, with 40-60 MiB less resident, and recorded a burst of 1,000 gateways in half the time, at a quarter and at
# two cores alike (BENCHMARKS.md part 5). Its work is waiting on AWS, not computing.
ENV JAVA_TOOL_OPTIONS="-XX:AOTCache=vpc-flowlogs-recorder.aot -XX:+UseSerialGC -XX:+UseCompactObjectHeaders -XX:TieredStopAtLevel=1 -XX:MaxRAMPercentage=35 -XX:InitialRAMPercentage=6 -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp"
ENTRYPOINT ["java", "-jar", "vpc-flowlogs-recorder.jar"]
