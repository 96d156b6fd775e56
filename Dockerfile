# bftlab node image: Temurin 17 JRE, the shaded jar, a non-root user.
#   mvn -q -DskipTests package          # builds target/bftlab-0.1.0-SNAPSHOT-all.jar
#   docker build -t bftlab:0.1.0 .
#   kind load docker-image bftlab:0.1.0   (or: minikube image load bftlab:0.1.0)
# The manifests in k8s/ run image bftlab:0.1.0 (imagePullPolicy: IfNotPresent).
FROM eclipse-temurin:17-jre

RUN groupadd --system --gid 10001 bftlab \
 && useradd --system --uid 10001 --gid bftlab --home-dir /var/lib/bftlab --no-create-home \
      --shell /usr/sbin/nologin bftlab \
 && mkdir -p /opt/bftlab /var/lib/bftlab /etc/bftlab \
 && chown bftlab:bftlab /var/lib/bftlab

COPY target/bftlab-0.1.0-SNAPSHOT-all.jar /opt/bftlab/bftlab.jar

USER 10001:10001
WORKDIR /var/lib/bftlab
# remoting (Pekko Artery), management (Pekko Management: bootstrap, /alive), http (the API)
EXPOSE 25520 8558 8080

# JVM options come from JAVA_TOOL_OPTIONS (see k8s/base/statefulset.yaml)
ENTRYPOINT ["java", "-jar", "/opt/bftlab/bftlab.jar"]
CMD ["node", "--config", "/etc/bftlab/conf/node.conf"]
