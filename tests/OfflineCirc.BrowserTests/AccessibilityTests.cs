using Deque.AxeCore.Playwright;
using OfflineCirc.BrowserTests.Infrastructure;
using Xunit.Abstractions;

namespace OfflineCirc.BrowserTests;

/// <summary>Each tab checked with axe-core, with a screenshot kept under artifacts/screenshots/.</summary>
[Collection(CapturePageCollection.Name)]
public sealed class AccessibilityTests(CaptureFixture app, ITestOutputHelper output)
{
    private static readonly string[] Blocking = ["serious", "critical"];

    [Theory]
    [InlineData("checkout")]
    [InlineData("renew")]
    [InlineData("checkin")]
    [InlineData("inhouse")]
    [InlineData("register")]
    [InlineData("payment")]
    [InlineData("pending")]
    [InlineData("uploaded")]
    [InlineData("settings")]
    public async Task Tab_has_no_serious_or_critical_accessibility_violations(string tab)
    {
        var capture = await app.SharedAsync(nameof(AccessibilityTests), PrepareAsync);
        await capture.TabAsync(tab);

        await capture.Page.ScreenshotAsync(new() { Path = Path.Combine(RepoPaths.Screenshots, $"offline-{tab}.png"), FullPage = true });
        var results = await capture.Page.RunAxe();

        foreach (var v in results.Violations.Where(v => !Blocking.Contains(v.Impact)))
        {
            output.WriteLine($"{v.Impact} {v.Id}: {v.Help} ({v.Nodes.Length} element(s))");
        }
        var blocking = results.Violations.Where(v => Blocking.Contains(v.Impact)).ToList();
        Assert.True(blocking.Count == 0, string.Join('\n', blocking.Select(v =>
            $"{v.Impact} {v.Id}: {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")));
    }

    /// <summary>One page for every tab: set up, offline, with a capture recorded so the lists and tables have rows.</summary>
    private async Task<CapturePage> PrepareAsync()
    {
        var context = await app.NewContextAsync();
        var capture = await CapturePage.OpenOfflineAsync(context);
        await capture.CheckoutAsync(app.Seed.GoodPatron, Barcodes.Item());
        return capture;
    }
}
