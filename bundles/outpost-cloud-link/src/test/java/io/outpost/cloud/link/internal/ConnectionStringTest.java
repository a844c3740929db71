package io.outpost.cloud.link.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ConnectionStringTest {

    static final String KEY = "ZWRnZS1kZXZpY2Uta2V5LTEyMzQ1Njc4";

    @Test
    void givenIotHubConnectionString_whenParsed_thenFieldsAreReadCaseInsensitivelyAndTheKeyIsNotShown() {
        ConnectionString cs = ConnectionString.parse(" hostname=cloud.test;DEVICEID=edge-1;SharedAccessKey=" + KEY + ";");

        assertThat(cs.hostName()).isEqualTo("cloud.test");
        assertThat(cs.deviceId()).isEqualTo("edge-1");
        assertThat(cs.sharedAccessKey()).isEqualTo(KEY);
        assertThat(cs.toString()).doesNotContain(KEY);
    }

    @Test
    void givenBadConnectionStrings_whenParsed_thenTheErrorNamesTheField() {
        assertThatThrownBy(() -> ConnectionString.parse("HostName=h;DeviceId=d"))
                .hasMessage("connectionString: SharedAccessKey is missing");
        assertThatThrownBy(() -> ConnectionString.parse("HostName=h;SharedAccessKey=" + KEY))
                .hasMessage("connectionString: DeviceId is missing");
        assertThatThrownBy(() -> ConnectionString.parse("HostName=h;DeviceId=d;SharedAccessKey=not base64!"))
                .hasMessage("connectionString: SharedAccessKey is not base64");
        assertThatThrownBy(() -> ConnectionString.parse("HostName=h;DeviceId=d;SharedAccessKey=c2hvcnQ="))
                .hasMessage("connectionString: SharedAccessKey must be base64 of at least 16 bytes");
        assertThatThrownBy(() -> ConnectionString.parse("HostName=h;DeviceId=d;ModuleId=m;SharedAccessKey=" + KEY))
                .hasMessageContaining("ModuleId is not allowed");
        assertThatThrownBy(() -> ConnectionString.parse("HostName=h;DeviceId=d;SharedAccessKey" + KEY))
                .hasMessageContaining("is not Name=value").hasMessageNotContaining(KEY);
    }

    @Test
    void givenX509ConnectionString_whenParsed_thenItHasNoKeyAndAKeyOrX509MismatchIsRefused() {
        ConnectionString cs = ConnectionString.parseX509("HostName=cloud.test;DeviceId=edge-1;x509=true");

        assertThat(cs.x509()).isTrue();
        assertThat(cs.sharedAccessKey()).isEmpty();
        assertThat(cs.toString()).isEqualTo("ConnectionString[HostName=cloud.test;DeviceId=edge-1;x509=true]");
        assertThat(ConnectionString.parseX509("HostName=cloud.test;DeviceId=edge-1").deviceId()).isEqualTo("edge-1");
        assertThatThrownBy(() -> ConnectionString.parseX509("HostName=h;DeviceId=d;x509=false"))
                .hasMessage("connectionString: x509 must be true (or left out) with auth = x509: false");
        assertThatThrownBy(() -> ConnectionString.parseX509("HostName=h"))
                .hasMessage("connectionString: DeviceId is missing");
        assertThatThrownBy(() -> ConnectionString.parseX509("HostName=h;DeviceId=d;SharedAccessKey=" + KEY))
                .hasMessageStartingWith("connectionString: SharedAccessKey is not used with auth = x509")
                .hasMessageNotContaining(KEY);
        assertThatThrownBy(() -> ConnectionString.parse("HostName=h;DeviceId=d;x509=true"))
                .hasMessageStartingWith("connectionString: x509 is set, but auth is sas");
    }
}
