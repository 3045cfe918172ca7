using Deque.AxeCore.Playwright;
using OfflineCirc.BrowserTests.Infrastructure;

namespace OfflineCirc.BrowserTests;

/// <summary>Each tab checked with axe-core, with a screenshot kept under artifacts/screenshots/.</summary>
[Collection(CapturePageCollection.Name)]
public sealed class AccessibilityTests(CaptureFixture app)
{
    private static readonly string[] Blocking = ["serious", "critical"];

    [Theory]
    [InlineData("checkout")]
    [InlineData("renew")]
    [InlineData("checkin")]
    [InlineData("inhouse")]
    [InlineData("register")]
    [InlineData("pending")]
    [InlineData("uploaded")]
    [InlineData("settings")]
    public async Task Tab_has_no_serious_or_critical_accessibility_violations(string tab)
    {
        await using var context = await app.NewContextAsync();
        var capture = await CaptureTests.OfflineAsync(context);
        // Something recorded, so the lists and tables are drawn with rows.
        await capture.CheckoutAsync(app.Seed.GoodPatron, Barcodes.Item());
        await capture.TabAsync(tab);

        await capture.Page.ScreenshotAsync(new() { Path = Path.Combine(RepoPaths.Screenshots, $"offline-{tab}.png"), FullPage = true });
        var results = await capture.Page.RunAxe();

        var blocking = results.Violations.Where(v => Blocking.Contains(v.Impact)).ToList();
        Assert.True(blocking.Count == 0, string.Join('\n', blocking.Select(v =>
            $"{v.Impact} {v.Id}: {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")));
    }
}
