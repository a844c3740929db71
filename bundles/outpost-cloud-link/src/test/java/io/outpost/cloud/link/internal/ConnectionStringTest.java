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
}
