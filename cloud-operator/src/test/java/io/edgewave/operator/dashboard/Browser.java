package io.edgewave.operator.dashboard;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Debian chromium driven through Debian's chromedriver, given explicitly so Selenium never tries to
 * download a driver. scripts/test.sh installs both; without them the test fails and says so.
 */
final class Browser {
  static final File CHROMIUM = new File("/usr/bin/chromium");
  static final File DRIVER = new File("/usr/bin/chromedriver");

  private Browser() {}

  static ChromeDriver start() throws Exception {
    if (!CHROMIUM.canExecute() || !DRIVER.canExecute()) {
      throw new IllegalStateException("the dashboard test needs " + CHROMIUM + " and " + DRIVER
          + ": run scripts/test.sh, which installs the Debian packages chromium and chromium-driver");
    }
    Path profile = Files.createTempDirectory("edgewave-chromium-");
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM).addArguments("--headless", "--no-sandbox",
        "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1400,1200",
        "--user-data-dir=" + profile);
    return new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(DRIVER).usingAnyFreePort().build(),
        options);
  }
}
