package dev.lok8s.lo.cache;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

class RegistryHttpTest {

    @Test
    void theNextPageComesFromTheLinkHeader() {
        assertThat(RegistryHttp.nextLink("</v2/_catalog?last=b&n=100>; rel=\"next\"")).isEqualTo("/v2/_catalog?last=b&n=100");
        assertThat(RegistryHttp.nextLink("<http://10.0.0.2/v2/x/tags/list?n=100&last=v9>; rel=next"))
                .isEqualTo("/v2/x/tags/list?n=100&last=v9");
        assertThat(RegistryHttp.nextLink("</v2/_catalog?last=b>; rel=\"prev\"")).isNull();
    }

    @Test
    void theRootOfACatalogUrl() {
        assertThat(RegistryHttp.root("https://10.125.200.2/v2/_catalog")).isEqualTo(URI.create("https://10.125.200.2"));
    }
}
