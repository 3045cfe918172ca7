using Microsoft.Playwright;
using OfflineCirc.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OfflineCirc.BrowserTests;

/// <summary>The content security policy the app sends is one the capture page and the portal pages pass in a real browser.</summary>
[Collection(CapturePageCollection.Name)]
public sealed class ContentSecurityTests(CaptureFixture app)
{
    [Fact]
    public async Task The_capture_page_and_the_portal_run_under_the_policy_without_a_violation()
    {
        await using var context = await app.NewContextAsync();
        // Collected by a script the browser runs before each page's own, which the policy does not govern.
        await context.AddInitScriptAsync("""
            window.__violations = [];
            document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
            """);
        var capture = await CapturePage.OpenAsync(context);
        await capture.SetUpAsync();
        await Expect(capture.ById("readiness-status")).ToContainTextAsync("Ready for an outage");
        var seen = new List<string>();
        seen.AddRange((await capture.Page.EvaluateAsync<string[]>("() => window.__violations")).Select(v => "/offline/: " + v));

        var page = await context.NewPageAsync();
        foreach (var url in new[] { "/Sessions", "/Lookup", "/Reports/Audit", "/Reports/Overview", "/Account/Tokens", "/Admin/Users/Create" })
        {
            var response = await page.GotoAsync(url);
            Assert.True(response!.Headers.ContainsKey("content-security-policy"), url);
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            seen.AddRange((await page.EvaluateAsync<string[]>("() => window.__violations")).Select(v => url + ": " + v));
        }
        // The token page's copy button is wired by its own script file now that inline script is refused.
        await page.GotoAsync("/Account/Tokens");
        await page.GetByLabel("Name").FillAsync("csp check");
        await page.GetByRole(AriaRole.Button, new() { Name = "Make token" }).ClickAsync();
        await Expect(page.Locator("#copy-secret")).ToBeVisibleAsync();
        seen.AddRange((await page.EvaluateAsync<string[]>("() => window.__violations")).Select(v => "/Account/Tokens: " + v));
        Assert.Empty(seen);

        // The watch is real: an inline script added to the page is refused, reported, and never runs.
        await page.EvaluateAsync("() => { const s = document.createElement('script'); s.textContent = 'window.__ran = true'; document.head.appendChild(s); }");
        await page.WaitForFunctionAsync("() => window.__violations.length > 0");
        Assert.Contains("script-src", string.Join(" ", await page.EvaluateAsync<string[]>("() => window.__violations")));
        Assert.False(await page.EvaluateAsync<bool>("() => window.__ran === true"));
    }
}
