package dev.vpcflowlogs.recorder.e2e;

import static dev.vpcflowlogs.recorder.e2e.Events.SAMPLE_GATEWAY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vpcflowlogs.recorder.report.engine.FlowRecords;
import dev.vpcflowlogs.recorder.standin.AwsStandIn;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;

/**
 * The console in a real browser (Debian's chromium and chromium-driver, which {@code .ci/run} installs): log in, see
 * the gateways, record one by hand, see it active, stop it, and read its report drawn as charts. A screenshot of each
 * page lands in {@code target/console-screenshots/}.
 */
class ConsoleBrowserIT extends EndToEndSupport {

    static final String ENI = "eni-0a00000000000000a";
    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    static final long MB = 1L << 20;

    /** The contrast WCAG asks of normal text (level AA). */
    static final double MIN_CONTRAST = 4.5;

    WebDriver browser;

    @Override
    AwsStandIn standIn() {
        return AwsStandIn.start()
                .natGateway(SAMPLE_GATEWAY, ENI)
                .instance("i-0web000000000001", "checkout-api", "us-east-1a", "10.0.1.5");
    }

    @BeforeEach
    void openBrowser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getProperty("console.browser", "/usr/bin/chromium"));
        // As root, without a display, and without reaching for anything outside this machine.
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--window-size=1280,1600");
        ChromeDriverService driver = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(System.getProperty("console.driver", "/usr/bin/chromedriver")))
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(driver, options);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void anOperatorLogsInRecordsAGatewayByHandStopsItAndReadsItsReportAsCharts() {
        recorder.with("recorder.report.delay", "1s").start();
        String base = "http://127.0.0.1:" + recorder.port();

        browser.get(base + "/");
        assertThat(browser.getCurrentUrl()).endsWith("/login");
        checkAccessibility("login");
        screenshot("1-login");
        browser.findElement(By.id("username")).sendKeys(RecorderHarness.OPERATOR);
        browser.findElement(By.id("password")).sendKeys(RecorderHarness.PASSWORD);
        browser.findElement(By.cssSelector("form.login button[type=submit]")).click();

        await().atMost(Duration.ofSeconds(20))
                .until(() -> browser.findElements(By.cssSelector("#gateways tr[data-gateway='" + SAMPLE_GATEWAY + "']"))
                                .size()
                        == 1);
        assertThat(browser.findElement(By.cssSelector("#active tbody")).getText())
                .contains("Nothing is recording");
        checkAccessibility("status");
        screenshot("2-status");

        new Select(browser.findElement(By.id("gateway"))).selectByValue(SAMPLE_GATEWAY);
        WebElement minutes = browser.findElement(By.id("minutes"));
        minutes.clear();
        minutes.sendKeys("5");
        browser.findElement(By.cssSelector("#record-now button[type=submit]")).click();

        // A click starts the navigation; the answer (after the start's flow logs are made) comes when it comes.
        await().atMost(Duration.ofSeconds(20))
                .until(() -> browser.getCurrentUrl().contains("/recordings/"));
        String recordingId =
                browser.getCurrentUrl().substring(browser.getCurrentUrl().lastIndexOf('/') + 1);
        assertThat(browser.findElement(By.id("state")).getText()).isEqualTo("RECORDING");
        assertThat(browser.findElement(By.cssSelector("p.message")).getText())
                .isEqualTo("recording " + SAMPLE_GATEWAY + " for 5m");
        assertThat(aws.flowLogs()).hasSize(1);

        await().atMost(Duration.ofSeconds(20))
                .until(() -> recorder.count("recorder.owners.snapshots", "result", "taken") == 1);
        FlowRecords records = new FlowRecords(FlowRecords.ORIGINAL);
        List<String> lines = new ArrayList<>();
        lines.addAll(records.exchange("10.0.1.5", "52.216.8.1", 443, 1 * MB, 300 * MB, "S3"));
        lines.addAll(records.exchange("10.0.1.5", "203.0.113.9", 443, 20 * MB, 80 * MB, null));
        lines.addAll(records.exchange("10.0.1.7", "198.51.100.4", 22, 10 * MB, 0, null));
        aws.flowLogRecords(RecorderHarness.LOG_GROUP, ENI, System.currentTimeMillis(), lines);

        browser.get(base + "/");
        List<WebElement> active = browser.findElements(By.cssSelector("#active tr[data-recording]"));
        assertThat(active).singleElement().satisfies(row -> assertThat(row.getText())
                .contains(SAMPLE_GATEWAY, RecorderHarness.OPERATOR));
        screenshot("3-recording-now");

        browser.findElement(By.cssSelector("button[aria-label='Stop recording " + recordingId + "']"))
                .click();
        await().atMost(Duration.ofSeconds(20))
                .ignoreExceptions()
                .until(
                        () -> browser.findElement(By.cssSelector("p.message")).getText(),
                        m -> m.equals("Recording " + recordingId + ": stopped"));
        await().atMost(Duration.ofSeconds(10)).until(() -> aws.flowLogs().isEmpty());

        await().atMost(Duration.ofSeconds(40))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    browser.get(base + "/recordings/" + recordingId);
                    return browser.findElements(By.id("report-status")).stream()
                            .anyMatch(e -> e.getText().equals("COMPLETE"));
                });
        assertThat(browser.findElement(By.id("state")).getText()).isEqualTo("COMPLETED");
        // Drawn by Chart.js from the report: three conversations, two internal hosts, two kinds of destination.
        assertThat(bars("conversations")).isEqualTo(3);
        assertThat(bars("hosts")).isEqualTo(2);
        assertThat(bars("services")).isGreaterThanOrEqualTo(1);
        assertThat(browser.findElement(By.id("owners")).getText()).contains("10.0.1.5", "checkout-api");
        assertThat(browser.findElement(By.id("query-0")).getText()).contains("stats sum(bytes)");
        checkAccessibility("recording");
        screenshot("4-report");

        await().atMost(Duration.ofSeconds(20)).until(() -> aws.published().size() == 1);
        browser.navigate().refresh();
        browser.findElement(By.id("resend")).click();
        await().atMost(Duration.ofSeconds(20))
                .ignoreExceptions()
                .until(
                        () -> browser.findElement(By.cssSelector("p.message")).getText(),
                        m -> m.equals("Its notification goes out again now"));
        await().atMost(Duration.ofSeconds(20)).until(() -> aws.published().size() == 2);
    }

    /** The bars Chart.js drew on a canvas: 0 when no chart was made there. */
    private long bars(String canvasId) {
        Object count = ((JavascriptExecutor) browser)
                .executeScript(
                        "const c = Chart.getChart(arguments[0]); return c ? c.getDatasetMeta(0).data.length : 0;",
                        canvasId);
        return ((Number) count).longValue();
    }

    /**
     * Accessibility basics of the page: a label for every form field, headings that never skip a level, and text
     * that stands out from its background by at least {@link #MIN_CONTRAST}.
     */
    private void checkAccessibility(String page) {
        JavascriptExecutor js = (JavascriptExecutor) browser;
        Object unlabelled = js.executeScript(
                """
                return [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
                  .filter(f => !(f.id && document.querySelector('label[for="' + f.id + '"]')) && !f.getAttribute('aria-label'))
                  .map(f => f.name || f.outerHTML);
                """);
        assertThat((List<?>) unlabelled)
                .as("fields without a label on the %s page", page)
                .isEmpty();

        Object levels = js.executeScript(
                "return [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map(h => Number(h.tagName[1]));");
        List<Long> headings =
                ((List<?>) levels).stream().map(l -> ((Number) l).longValue()).toList();
        assertThat(headings).as("headings of the %s page", page).isNotEmpty().startsWith(1L);
        for (int i = 1; i < headings.size(); i++) {
            assertThat(headings.get(i))
                    .as("heading %d of the %s page after a level %d", i, page, headings.get(i - 1))
                    .isLessThanOrEqualTo(headings.get(i - 1) + 1);
        }

        Object worst = js.executeScript(
                """
                const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
                const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); })
                  .reduce((a, v, i) => a + v * [0.2126, 0.7152, 0.0722][i], 0);
                const background = e => {
                  for (; e; e = e.parentElement) {
                    const c = rgb(getComputedStyle(e).backgroundColor);
                    if (c.length === 3 || c[3] > 0) return c.slice(0, 3);
                  }
                  return [255, 255, 255];
                };
                let worst = { ratio: 21, text: '' };
                for (const e of document.querySelectorAll('body *')) {
                  const own = [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim().length > 0);
                  if (!own || e.offsetParent === null) continue;
                  const a = lum(rgb(getComputedStyle(e).color).slice(0, 3)), b = lum(background(e));
                  const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
                  if (ratio < worst.ratio) worst = { ratio: ratio, text: e.tagName + ': ' + e.textContent.trim().slice(0, 40) };
                }
                return [worst.ratio, worst.text];
                """);
        List<?> found = (List<?>) worst;
        assertThat(((Number) found.get(0)).doubleValue())
                .as("the lowest contrast on the %s page (%s)", page, found.get(1))
                .isGreaterThanOrEqualTo(MIN_CONTRAST);
    }

    private void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
