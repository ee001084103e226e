package io.clearhouse.ejb;

import io.clearhouse.ejb.config.ServerSettings;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/** Reads {@link ServerSettings} from the application's MicroProfile Config. */
final class MicroProfileSettings {
    private MicroProfileSettings() {}

    static ServerSettings read() {
        Config config = ConfigProvider.getConfig();
        return ServerSettings.read(key -> config.getOptionalValue(key, String.class));
    }
}
