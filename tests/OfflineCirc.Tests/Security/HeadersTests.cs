using System.Net;
using System.Text.RegularExpressions;
using OfflineCirc.Tests.Infrastructure;
using OfflineCirc.Tests.Sessions;

namespace OfflineCirc.Tests.Security;

/// <summary>Every answer carries the security headers, and the pages hold nothing the content security policy would block.</summary>
public partial class HeadersTests(IntakeApp app) : IClassFixture<IntakeApp>
{
    private static void AssertHardened(HttpResponseMessage response, string what)
    {
        var csp = response.Headers.TryGetValues("Content-Security-Policy", out var values) ? string.Join(";", values) : "";
        Assert.True(csp.Contains("frame-ancestors 'none'") && csp.Contains("script-src 'self'") && !csp.Contains("script-src 'self' 'unsafe"), $"{what}: CSP '{csp}'");
        Assert.True(response.Headers.TryGetValues("X-Content-Type-Options", out var nosniff) && nosniff.Single() == "nosniff", what);
        Assert.True(response.Headers.Contains("Referrer-Policy"), what);
    }

    [Fact]
    public async Task Pages_api_static_files_and_errors_all_carry_the_security_headers()
    {
        using var anonymous = PortalClient.Create(app.App);
        foreach (var url in new[] { "/Account/Login", "/offline/", "/offline/js/main.js", "/css/portal.css", "/api/sessions", "/no-such-page", "/healthz" })
        {
            AssertHardened(await anonymous.Http.GetAsync(url), url);
        }
        using var api = app.Client(app.AdminToken);
        AssertHardened(await api.GetAsync("/api/sessions?org=%00"), "a refused API request");
        AssertHardened(await api.GetAsync("/api/sessions/987654/results.csv"), "a missing download");
    }

    [Fact]
    public async Task Portal_pages_and_the_capture_page_hold_no_inline_script_handler_or_style()
    {
        var id = await app.CreateSessionAsync();
        using var portal = PortalClient.Create(app.App);
        Assert.Equal(HttpStatusCode.Redirect, (await portal.LoginAsync(AppFactory.AdminEmail, AppFactory.AdminPassword)).StatusCode);
        var urls = new[]
        {
            "/", "/Sessions", $"/Sessions/Details?id={id}", $"/Sessions/Exceptions?id={id}", $"/Sessions/FollowUps?id={id}",
            "/Lookup", "/Admin/Import", "/Admin/Users", "/Admin/Users/Create", "/Admin/Workstations", "/Reports/Audit",
            "/Reports/Overview", "/Account/Tokens", "/offline/", "/offline/guide.html",
        };
        foreach (var url in urls)
        {
            var response = await portal.Http.GetAsync(url);
            Assert.True(response.IsSuccessStatusCode, $"{url}: {response.StatusCode}");
            var html = await response.Content.ReadAsStringAsync();
            Assert.False(InlineScript().IsMatch(html), $"{url} has an inline script");
            Assert.False(InlineHandler().IsMatch(html), $"{url} has an inline event handler");
            Assert.False(InlineStyle().IsMatch(html), $"{url} has an inline style");
        }
    }

    [GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex(@"<[^>]+\son[a-z]+\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex InlineHandler();

    // The validation summary's style="display:none" is the one inline style the policy allows, by its hash.
    [GeneratedRegex(@"<style\b|<[^>]+\sstyle\s*=(?!""display:none"")", RegexOptions.IgnoreCase)]
    private static partial Regex InlineStyle();
}
