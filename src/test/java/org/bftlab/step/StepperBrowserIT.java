package org.bftlab.step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The student's path in a real browser (headless Chromium through Selenium): open the normal
 * case, deliver messages one by one until node-1 shows prepared and then committed-local with
 * the counts against 2f and 2f+1, go back three steps and see the state revert, crash the
 * primary, fire timers until the view change completes and the new primary is shown. Saves
 * {@code target/stepper-browser.png}. Skips (assumption) when {@code /usr/bin/chromium} or
 * {@code /usr/bin/chromedriver} is missing ({@code apt-get install chromium chromium-driver}).
 */
class StepperBrowserIT {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Duration WAIT = Duration.ofSeconds(30);

  private StepServer server;
  private WebDriver driver;
  private Path profile;

  @AfterEach
  void tearDown() throws Exception {
    if (driver != null) {
      driver.quit();
    }
    if (server != null) {
      server.close();
    }
    if (profile != null) {
      try (var files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void aStudentStepsToCommittedLocalWalksBackAndSeesAViewChange() throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "no headless browser here: /usr/bin/chromium and /usr/bin/chromedriver are needed "
            + "(apt-get install -y --no-install-recommends chromium chromium-driver)");
    long started = System.nanoTime();
    server = StepServer.start(new Stepper(StepConfig.normalCase(1)), 0);
    profile = Files.createTempDirectory("bftlab-step-chromium");
    ChromeOptions o = new ChromeOptions().setBinary(CHROMIUM.toFile());
    o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--no-first-run",
        "--disable-sync", "--window-size=1600,1200", "--user-data-dir=" + profile);
    driver = new ChromeDriver(new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build(), o);
    driver.get(server.url());
    new WebDriverWait(driver, WAIT).until(d ->
        "true".equals(d.findElement(By.id("ws-status")).getAttribute("data-open")));
    new WebDriverWait(driver, WAIT).until(d -> position() == 0 && !inFlight().isEmpty());

    // deliver one by one until node-1 is prepared, then committed-local
    String prepared = stepUntil("node-1", "prepared");
    WebElement slot = slot("node-1");
    assertThat(Integer.parseInt(slot.getAttribute("data-prepares"))).isGreaterThanOrEqualTo(2);
    assertThat(slot.getText()).contains("2f=2").contains("2f+1=3");
    assertThat(prepared).isEqualTo("prepared");
    stepUntil("node-1", "committed-local");
    slot = slot("node-1");
    assertThat(Integer.parseInt(slot.getAttribute("data-commits"))).isGreaterThanOrEqualTo(3);
    int committedAt = position();

    // three steps back: node-1 is no longer committed-local
    for (int i = 0; i < 3; i++) {
      click(By.id("btn-back"));
    }
    assertThat(position()).isEqualTo(committedAt - 3);
    assertThat(slot("node-1").getAttribute("data-phase")).isNotEqualTo("committed-local");

    // crash the primary, the client multicasts a request, timers fire: view 1, primary node-1
    click(By.cssSelector("#replica-node-0 button[data-cmd='crash node-0']"));
    assertThat(driver.findElement(By.id("replica-node-0")).getAttribute("data-up"))
        .isEqualTo("false");
    click(By.cssSelector("button[data-cmd='request all']"));
    for (int round = 0; round < 6 && !newViewEverywhere(); round++) {
      for (int i = 0; i < 80 && !inFlight().isEmpty() && !newViewEverywhere(); i++) {
        click(By.id("btn-step"));
      }
      for (String n : List.of("node-1", "node-2", "node-3")) {
        if (field(n, "timer").startsWith("running") && !newViewEverywhere()) {
          click(By.cssSelector("#replica-" + n + " button[data-cmd='timer " + n + "']"));
        }
      }
    }
    assertThat(newViewEverywhere()).as("view 1 with primary node-1 on node-1..3").isTrue();
    assertThat(field("node-1", "role")).isEqualTo("primary");
    assertThat(driver.findElement(By.id("narration")).getText())
        .contains("installs view 1 with primary node-1");

    Path shot = Path.of("target", "stepper-browser.png");
    Files.createDirectories(shot.getParent());
    Files.write(shot, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    assertThat(Files.size(shot)).isGreaterThan(10_000);
    assertThat(driver.findElement(By.id("badge-safety")).getText()).isEqualTo("safety ✓");
    assertThat(driver.findElement(By.id("badge-safety")).getAttribute("data-status"))
        .isEqualTo("ok");

    click(By.id("tour-normal"));
    click(By.id("tour-next"));
    assertThat(driver.findElement(By.tagName("body")).getAttribute("data-tour-stop"))
        .isEqualTo("1");
    assertThat(driver.findElement(By.id("tour-text")).getText()).contains("PRE-PREPARE")
        .contains("§4.2");
    System.out.printf("StepperBrowserIT: screenshot %s, wall time %.1f s%n",
        shot.toAbsolutePath(), (System.nanoTime() - started) / 1e9);
  }

  private boolean newViewEverywhere() {
    for (String n : List.of("node-1", "node-2", "node-3")) {
      if (!field(n, "view").equals("1") || !field(n, "primary").equals("node-1")) {
        return false;
      }
    }
    return true;
  }

  /** Steps until {@code node}'s slot n=1 shows {@code phase}; returns the phase seen. */
  private String stepUntil(String node, String phase) {
    for (int i = 0; i < 100; i++) {
      List<WebElement> s = driver.findElements(By.cssSelector(
          "#replica-" + node + " tr.slot[data-seqno='1']"));
      if (!s.isEmpty() && phase.equals(s.get(0).getAttribute("data-phase"))) {
        return phase;
      }
      click(By.id("btn-step"));
    }
    throw new AssertionError(node + " never showed " + phase + " for n=1");
  }

  private WebElement slot(String node) {
    return driver.findElement(By.cssSelector("#replica-" + node + " tr.slot[data-seqno='1']"));
  }

  private String field(String node, String name) {
    List<WebElement> f = driver.findElements(By.cssSelector(
        "#replica-" + node + " [data-field='" + name + "']"));
    return f.isEmpty() ? "" : f.get(0).getText();
  }

  private List<WebElement> inFlight() {
    return driver.findElements(By.cssSelector("#inflight li[data-id]"));
  }

  private int position() {
    return Integer.parseInt(driver.findElement(By.tagName("body")).getAttribute("data-position"));
  }

  /** Clicks and waits for the server's answer (the step position changes, or an error shows). */
  private void click(By by) {
    int before = position();
    String err = driver.findElement(By.id("error")).getText();
    driver.findElement(by).click();
    new WebDriverWait(driver, WAIT).until(d -> position() != before
        || !d.findElement(By.id("error")).getText().equals(err)
        && !d.findElement(By.id("error")).getText().isEmpty());
    assertThat(driver.findElement(By.id("error")).getText()).as("after clicking " + by).isEmpty();
  }
}
