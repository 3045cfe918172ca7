using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using OfflineCirc.BrowserTests.Infrastructure;
using OfflineCirc.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace OfflineCirc.BrowserTests.Portal;

/// <summary>How the portal's pages read: errors in the layout, one time format, accessibility, the 1366-pixel screen.</summary>
[Collection(PortalCollection.Name)]
public sealed partial class PortalPageTests(PortalFixture app, ITestOutputHelper output)
{
    private static readonly string[] Blocking = ["serious", "critical"];

    [Theory]
    [InlineData("/Sessions/Details/987654321")]
    [InlineData("/Sessions/Details?id=987654321")]
    [InlineData("/Sessions/Exceptions/987654321")]
    [InlineData("/no/such/page")]
    public async Task A_missing_session_or_unknown_address_is_the_portals_not_found_page(string address)
    {
        var page = await app.NewPageAsync(PortalFixture.AdministratorEmail);
        var response = await page.GotoAsync(address);
        Assert.Equal(404, response!.Status);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Not found");
        await Expect(page.Locator("#error-sentence")).ToContainTextAsync("not in your libraries");
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Main" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Back to the start page" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("OfflineCirc");
    }

    [Fact]
    public async Task A_session_of_another_library_is_not_found_and_an_api_error_stays_problem_details()
    {
        var other = await app.World.OpenSessionAsync("BR3", "Another system's outage");
        var page = await app.NewPageAsync(PortalFixture.AdministratorEmail);
        Assert.Equal(404, (await page.GotoAsync($"/Sessions/Details/{other}"))!.Status);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Not found");
        await Expect(page.Locator("main")).Not.ToContainTextAsync("Another system's outage");

        var api = await page.GotoAsync($"/api/sessions/{other}");
        Assert.Equal(404, api!.Status);
        Assert.StartsWith("application/problem+json", api.Headers["content-type"]);
    }

    [Fact]
    public async Task Every_time_on_the_review_pages_is_in_one_format_with_its_zone()
    {
        var session = await PortalSessions.ProcessedAsync(app);
        var page = await app.NewPageAsync();
        foreach (var address in new[]
                 {
                     "/Sessions", $"/Sessions/Details/{session.Id}", $"/Sessions/Exceptions/{session.Id}",
                     $"/Sessions/Transaction/{session.Transactions[session.File.Allowed]}", $"/Sessions/FollowUps/{session.Id}",
                     "/Reports/Audit", "/Reports/Overview",
                 })
        {
            await page.GotoAsync(address);
            var text = await page.Locator("main").InnerTextAsync();
            var times = AnyTime().Matches(text).Select(m => m.Value.Trim()).ToList();
            Assert.True(times.Count > 0, $"{address} shows no time");
            Assert.All(times, t => Assert.Matches(OneFormat(), t));
            // The zone named is the library's (America/Toronto), never the browser's (Europe/Berlin).
            Assert.DoesNotContain(times, t => t.EndsWith("CET", StringComparison.Ordinal) || t.EndsWith("CEST", StringComparison.Ordinal));
            output.WriteLine($"{address}: {times.Count} times, e.g. {times[0]}");
        }
    }

    [Fact]
    public async Task Session_exceptions_and_transaction_pages_fit_a_1366_pixel_screen()
    {
        var session = await PortalSessions.ProcessedAsync(app);
        var page = await app.NewPageAsync();
        var shots = new[]
        {
            ("portal-session", $"/Sessions/Details/{session.Id}"),
            ("portal-exceptions", $"/Sessions/Exceptions/{session.Id}"),
            ("portal-transaction", $"/Sessions/Transaction/{session.Transactions[session.File.Allowed]}"),
        };
        foreach (var (name, address) in shots)
        {
            await page.GotoAsync(address);
            await page.ScreenshotAsync(new() { Path = Path.Combine(RepoPaths.Screenshots, name + ".png") });
            await page.ScreenshotAsync(new() { Path = Path.Combine(RepoPaths.Screenshots, name + "-full.png"), FullPage = true });
            var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
            Assert.True(overflow <= 0, $"{address} scrolls sideways by {overflow} px");
        }
        await page.GotoAsync($"/Sessions/Exceptions/{session.Id}");
        var right = await page.EvaluateAsync<double>("() => document.querySelector('table.exceptions').getBoundingClientRect().right");
        Assert.True(right <= 1366, $"the exceptions table ends at {right} px");
        var key = page.Locator("table.exceptions tbody tr td").First.Locator("code");
        Assert.Equal(8, (await key.InnerTextAsync()).Length);
    }

    [Fact]
    public async Task Every_portal_page_has_no_serious_or_critical_accessibility_violation()
    {
        var session = await PortalSessions.ProcessedAsync(app);
        string userId;
        await using (var db = app.CreateDbContext())
        {
            userId = (await db.Users.SingleAsync(u => u.Email == PortalFixture.StaffEmail)).Id;
        }
        var signedIn = new[]
        {
            "/", "/Sessions", $"/Sessions/Details/{session.Id}", $"/Sessions/Exceptions/{session.Id}", $"/Sessions/FollowUps/{session.Id}",
            $"/Sessions/Transaction/{session.Transactions[session.File.Allowed]}", "/Lookup", $"/Lookup/Patron?barcode={app.Seed.BarredPatron}",
            $"/Lookup/Item?barcode={session.File.SpareItem}", "/Lookup?barcode=nothing-like-it", "/Reports/Audit", "/Reports/Overview",
            "/Admin/Import", "/Admin/Users", "/Admin/Users/Create", $"/Admin/Users/Edit/{userId}", "/Admin/Workstations",
            "/Account/Tokens", "/Sessions/Details/987654321", "/no/such/page",
        };
        var failures = new List<string>();
        var page = await app.NewPageAsync(AppFactory.AdminEmail);
        foreach (var address in signedIn)
        {
            var status = (await page.GotoAsync(address))!.Status;
            var expected = address.Contains("987654321", StringComparison.Ordinal) || address.StartsWith("/no/", StringComparison.Ordinal)
                || address.Contains("nothing-like-it", StringComparison.Ordinal) ? 404 : 200;
            Assert.True(status == expected, $"{address} answered {status}");
            failures.AddRange(await ViolationsAsync(page, address));
        }
        var anonymous = await app.NewPageAsync(email: null);
        foreach (var (address, expected) in new[] { ("/Account/Login", 200), ("/Account/AccessDenied", 403), ("/no/such/page", 404) })
        {
            Assert.Equal(expected, (await anonymous.GotoAsync(address))!.Status);
            failures.AddRange(await ViolationsAsync(anonymous, address));
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    private async Task<IEnumerable<string>> ViolationsAsync(IPage page, string address)
    {
        var results = await page.RunAxe();
        foreach (var v in results.Violations.Where(v => !Blocking.Contains(v.Impact)))
        {
            output.WriteLine($"{address}: {v.Impact} {v.Id}: {v.Help} ({v.Nodes.Length} element(s))");
        }
        return results.Violations.Where(v => Blocking.Contains(v.Impact)).Select(v =>
            $"{address}: {v.Impact} {v.Id}: {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}");
    }

    // Anything that looks like a date with a time, with whatever follows it up to the next space-separated word.
    [GeneratedRegex(@"\d{4}-\d{1,2}-\d{1,2}[ T]\d{1,2}:\d{2}(?::\d{2})?\S*(?: [A-Z+\-][A-Za-z0-9:+\-]*)?")]
    private static partial Regex AnyTime();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2} (?:[A-Z]{2,5}|[+-]\d{2}(?:\d{2})?)$")]
    private static partial Regex OneFormat();
}
