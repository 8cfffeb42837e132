package dev.lok8s.lo.upstream;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The Docker client configuration's rules, as the docker CLI reads them. */
class DockerLoginsTest {

    static String auth(String userPass) {
        return Base64.getEncoder().encodeToString(userPass.getBytes(StandardCharsets.UTF_8));
    }

    static DockerLogins.Found lookup(String json, String server) {
        return DockerLogins.lookup(json, "/home/dev/.docker/config.json", server);
    }

    @Test
    void theKeyIsHostAndPortAndDockerHubHasItsOwn() {
        assertThat(DockerLogins.serverKey("https://registry-1.docker.io")).isEqualTo("https://index.docker.io/v1/");
        assertThat(DockerLogins.serverKey("https://index.docker.io/v1/")).isEqualTo("https://index.docker.io/v1/");
        assertThat(DockerLogins.serverKey("https://quay.io")).isEqualTo("quay.io");
        assertThat(DockerLogins.serverKey("http://10.213.141.9:5000")).isEqualTo("10.213.141.9:5000");
        assertThat(DockerLogins.serverKey("https://Registry.Example.com:8443/some/path")).isEqualTo("registry.example.com:8443");
    }

    @Test
    void theFileIsUnderDockerConfigElseTheHomeDirectory() {
        assertThat(DockerLogins.configFile(Map.of("DOCKER_CONFIG", "/tmp/dc", "HOME", "/home/dev")))
                .isEqualTo(Path.of("/tmp/dc/config.json"));
        assertThat(DockerLogins.configFile(Map.of("HOME", "/home/dev")))
                .isEqualTo(Path.of("/home/dev/.docker/config.json"));
    }

    @Test
    void anAuthFieldIsBase64OfUserColonPasswordAndThePasswordMayHoldColons() {
        var found = lookup("{\"auths\":{\"10.1.2.3:5000\":{\"auth\":\"" + auth("dev:pa:ss") + "\"}}}", "10.1.2.3:5000");
        assertThat(found).isInstanceOf(DockerLogins.Stored.class);
        UpstreamLogin login = ((DockerLogins.Stored) found).login();
        assertThat(login.username()).isEqualTo("dev");
        assertThat(login.secret()).isEqualTo("pa:ss");
        assertThat(login.toString()).doesNotContain("pa:ss");
    }

    @Test
    void userNameAndPasswordFieldsAreReadWhenThereIsNoAuth() {
        var found = lookup("{\"auths\":{\"quay.io\":{\"username\":\"u\",\"password\":\"p\"}}}", "quay.io");
        assertThat(((DockerLogins.Stored) found).login().secret()).isEqualTo("p");
    }

    @Test
    void aKeyWrittenWithSchemeAndPathMatchesItsHost() {
        var found = lookup("{\"auths\":{\"https://quay.io/v1/\":{\"auth\":\"" + auth("u:p") + "\"}}}", "quay.io");
        assertThat(found).isInstanceOf(DockerLogins.Stored.class);
        assertThat(lookup("{\"auths\":{\"https://quay.io/v1/\":{\"auth\":\"" + auth("u:p") + "\"}}}", "ghcr.io"))
                .isInstanceOf(DockerLogins.Nothing.class);
    }

    @Test
    void dockerHubIsFoundUnderItsV1Key() {
        var found = lookup("{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\"" + auth("hub:tok") + "\"}}}",
                DockerLogins.DOCKER_HUB_KEY);
        assertThat(((DockerLogins.Stored) found).login().username()).isEqualTo("hub");
    }

    @Test
    void anIdentityTokenIsRecognisedAndNotUsed() {
        assertThat(lookup("{\"auths\":{\"quay.io\":{\"auth\":\"" + auth("u:p") + "\",\"identitytoken\":\"tok\"}}}",
                "quay.io")).isInstanceOf(DockerLogins.IdentityToken.class);
    }

    @Test
    void aHelperForTheKeyComesBeforeTheStoreAndTheStoreBeforeAuths() {
        String json = "{\"auths\":{\"quay.io\":{\"auth\":\"" + auth("u:p") + "\"}},\"credsStore\":\"pass\","
                + "\"credHelpers\":{\"ghcr.io\":\"gh\"}}";
        assertThat(lookup(json, "ghcr.io")).isEqualTo(new DockerLogins.Helper("ghcr.io", "gh"));
        assertThat(lookup(json, "quay.io")).isEqualTo(new DockerLogins.Helper("quay.io", "pass"));
        assertThat(lookup("{\"auths\":{\"quay.io\":{\"auth\":\"" + auth("u:p") + "\"}},\"credsStore\":\"\"}", "quay.io"))
                .as("an empty credsStore is none").isInstanceOf(DockerLogins.Stored.class);
    }

    @Test
    void aHelperNameThatIsNotAProgramNameIsRefused() {
        var found = lookup("{\"credHelpers\":{\"quay.io\":\"../../bin/sh\"}}", "quay.io");
        assertThat(found).isInstanceOf(DockerLogins.Unreadable.class);
    }

    @Test
    void noFileNoEntryAndEmptyEntriesAreNoLogin() {
        assertThat(lookup(null, "quay.io")).isInstanceOf(DockerLogins.Nothing.class);
        assertThat(lookup("{}", "quay.io")).isInstanceOf(DockerLogins.Nothing.class);
        assertThat(lookup("{\"auths\":{\"quay.io\":{}}}", "quay.io")).isInstanceOf(DockerLogins.Nothing.class);
    }

    @Test
    void badTextIsUnreadableWithoutEchoingIt() {
        var notJson = lookup("{\"auths\": secret-value", "quay.io");
        assertThat(notJson).isInstanceOf(DockerLogins.Unreadable.class);
        assertThat(((DockerLogins.Unreadable) notJson).why()).doesNotContain("secret-value");
        var notBase64 = lookup("{\"auths\":{\"quay.io\":{\"auth\":\"%%%secret\"}}}", "quay.io");
        assertThat(((DockerLogins.Unreadable) notBase64).why()).contains("not base64").doesNotContain("secret");
        var noColon = lookup("{\"auths\":{\"quay.io\":{\"auth\":\"" + auth("justsecret") + "\"}}}", "quay.io");
        assertThat(((DockerLogins.Unreadable) noColon).why()).doesNotContain("justsecret");
    }

    @Test
    void aHelpersAnswerIsALoginAnIdentityTokenOrNothing() {
        assertThat(CredentialHelper.parse("{\"ServerURL\":\"quay.io\",\"Username\":\"u\",\"Secret\":\"s\"}", "quay.io",
                "docker-credential-x")).isEqualTo(new DockerLogins.Stored("quay.io", new UpstreamLogin("quay.io", "u", "s")));
        assertThat(CredentialHelper.parse("{\"Username\":\"<token>\",\"Secret\":\"s\"}", "quay.io", "x"))
                .isInstanceOf(DockerLogins.IdentityToken.class);
        assertThat(CredentialHelper.parse("{\"Username\":\"\",\"Secret\":\"\"}", "quay.io", "x"))
                .isInstanceOf(DockerLogins.Nothing.class);
        var bad = CredentialHelper.parse("Secret: s3cr3t", "quay.io", "x");
        assertThat(((DockerLogins.Unreadable) bad).why()).doesNotContain("s3cr3t");
    }

    @Test
    void aMissingHelperIsUnreadableAndNamesTheProgram() {
        var found = CredentialHelper.get("lotest-no-such-helper", "quay.io");
        assertThat(((DockerLogins.Unreadable) found).why()).contains("docker-credential-lotest-no-such-helper");
    }
}
