package io.statusreg.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusreg.registry.config.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's configuration table lists every setting the process knows, with its default. */
class ReadmeSettingsTest {

  @Test
  void readmeListsEverySettingWithItsEnvironmentVariableAndDefault() throws Exception {
    Path readme = Path.of("..", "README.md");
    String text = Files.readString(readme);
    for (Setting<?> setting : RegistryProcess.knownSettings()) {
      String row =
          "| `"
              + setting.name()
              + "` | `"
              + setting.envName()
              + "` | "
              + (setting.defaultValue() == null
                  ? "(required)"
                  : "`" + (setting.secret() ? "<hidden>" : setting.defaultValue()) + "`");
      assertThat(text)
          .as("README row for %s (regenerate with ./statusreg settings)", setting.name())
          .contains(row);
    }
  }
}
