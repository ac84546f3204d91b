package org.jgrad.playground;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.FluentWait;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page in a real headless Chromium: XOR and the circle train to a low test loss, and the feature toggles and
 * layer buttons change the network. Needs Debian's chromium and chromium-driver
 * ({@code scripts/install-browser.sh}); skipped, saying so, without them. Screenshots go to
 * {@code target/}.
 */
@Timeout(90)
class PlaygroundBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @Test
    void xorAndCircleTrainAndTheNetworkCanBeEdited() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "browser test skipped: needs " + CHROMIUM + " and " + CHROMEDRIVER + " (run scripts/install-browser.sh)");
        // Both binaries are given explicitly, so Selenium Manager has nothing to look up (and the
        // pom sets SE_OFFLINE=true in case it runs anyway): nothing is ever downloaded.
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        var options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1280,800", "--hide-scrollbars");
        var service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();

        try (var server = PlaygroundServer.open(0)) {
            WebDriver driver = new ChromeDriver(service, options);
            try {
                run(driver, server);
            } finally {
                driver.quit();
            }
        }
    }

    private void run(WebDriver driver, PlaygroundServer server) throws IOException {
        // the page rebuilds parts of itself as frames arrive, so an element found a moment ago may be gone
        var wait = new WebDriverWait(driver, Duration.ofSeconds(15)).ignoring(StaleElementReferenceException.class);
        driver.get(server.url().toString());
        // --window-size counts the window's frame; make the page itself 1280×800 for the screenshots
        long inner = (Long) ((JavascriptExecutor) driver).executeScript("return window.innerHeight");
        Dimension outer = driver.manage().window().getSize();
        driver.manage().window().setSize(new Dimension(outer.width, outer.height + (800 - (int) inner)));
        wait.until(d -> lossOf(d, "test-loss") >= 0);
        assertEquals(1, server.sessionCount(), "the page opened one session");
        assertTrue(driver.findElement(By.id("heatmap")).isDisplayed());

        click(wait, By.cssSelector("#datasets canvas[data-dataset=xor]"));
        wait.until(d -> d.findElement(By.cssSelector("#datasets canvas[data-dataset=xor]")).getAttribute("class").contains("selected"));
        new Select(driver.findElement(By.id("learningRate"))).selectByVisibleText("0.1");
        wait.until(d -> "0.1".equals(d.findElement(By.id("learningRate")).getDomProperty("value")));
        click(wait, By.id("show-test"));

        click(wait, By.id("play"));
        new WebDriverWait(driver, Duration.ofSeconds(45), Duration.ofMillis(200))
                .ignoring(StaleElementReferenceException.class)
                .withMessage(() -> "test loss shown on the page stays >= 0.05; epoch " + driver.findElement(By.id("epoch")).getText())
                .until(d -> {
                    double loss = lossOf(d, "test-loss");
                    return loss >= 0 && loss < 0.05;
                });
        assertTrue(driver.findElement(By.id("play")).getAttribute("class").contains("running"));
        screenshot(driver, "playground-xor.png");

        // the circle, trained from the page too
        click(wait, By.cssSelector("#datasets canvas[data-dataset=circle]"));
        wait.until(d -> d.findElement(By.cssSelector("#datasets canvas[data-dataset=circle]")).getAttribute("class").contains("selected"));
        if (!driver.findElement(By.id("play")).getAttribute("class").contains("running")) click(wait, By.id("play"));
        new WebDriverWait(driver, Duration.ofSeconds(45), Duration.ofMillis(200))
                .ignoring(StaleElementReferenceException.class)
                .withMessage(() -> "circle: test loss shown on the page stays >= 0.05; epoch " + driver.findElement(By.id("epoch")).getText())
                .until(d -> {
                    double loss = lossOf(d, "test-loss");
                    return loss >= 0 && loss < 0.05;
                });
        screenshot(driver, "playground-circle.png");

        // X1·X2 on: the network gets a third input and starts over
        click(wait, By.cssSelector("#feature-list [data-feature=x1x2]"));
        wait.until(d -> d.findElement(By.cssSelector("#feature-list [data-feature=x1x2]")).getAttribute("class").contains("on"));
        // and X2 off again
        click(wait, By.cssSelector("#feature-list [data-feature=x2]"));
        wait.until(d -> !d.findElement(By.cssSelector("#feature-list [data-feature=x2]")).getAttribute("class").contains("on"));
        wait.until(d -> links(d) == 2 * 4 + 4 * 2 + 2); // x1, x1x2 → 4 → 2 → output

        click(wait, By.id("add-layer"));
        wait.until(d -> d.findElements(By.cssSelector("#layers .layer")).size() == 3);
        assertEquals("3", driver.findElement(By.id("layer-count")).getText());
        wait.until(d -> d.findElements(By.cssSelector("#layers .layer[data-layer='2'] canvas.neuron")).size() == 2);
        wait.until(d -> links(d) == 2 * 4 + 4 * 2 + 2 * 2 + 2);
        click(wait, By.cssSelector("#layers .layer[data-layer='2'] .add-neuron"));
        wait.until(d -> d.findElements(By.cssSelector("#layers .layer[data-layer='2'] canvas.neuron")).size() == 3);
        screenshot(driver, "playground-edited.png");

        click(wait, By.id("remove-layer"));
        wait.until(d -> d.findElements(By.cssSelector("#layers .layer")).size() == 2);
        assertEquals("2", driver.findElement(By.id("layer-count")).getText());

        click(wait, By.id("play")); // pause
        wait.until(d -> !d.findElement(By.id("play")).getAttribute("class").contains("running"));
        assertEquals("", driver.findElement(By.id("status")).getText(), "no error shown on the page");
        assertEquals(List.of(), ((JavascriptExecutor) driver).executeScript("return window.jgradErrors || []"),
                "no script errors on the page");
        assertEquals(1, server.sessionCount());
    }

    private static void click(FluentWait<WebDriver> wait, By by) {
        wait.until(d -> {
            d.findElement(by).click();
            return true;
        });
    }

    /** The loss shown on the page, or -1 while it shows no number yet. */
    private static double lossOf(WebDriver d, String id) {
        try {
            return Double.parseDouble(d.findElement(By.id(id)).getText().trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static int links(WebDriver d) {
        return d.findElements(By.cssSelector("#links path")).size();
    }

    private static void screenshot(WebDriver driver, String name) throws IOException {
        File shot = ((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Path target = Path.of("target", name);
        Files.createDirectories(target.getParent());
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }

}
