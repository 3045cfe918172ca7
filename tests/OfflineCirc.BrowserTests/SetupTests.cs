using Microsoft.EntityFrameworkCore;
using OfflineCirc.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OfflineCirc.BrowserTests;

[Collection(CapturePageCollection.Name)]
public sealed class SetupTests(CaptureFixture app)
{
    [Fact]
    public async Task Set_up_online_signs_in_chooses_the_workstation_and_refreshes_until_ready()
    {
        await using var context = await app.NewContextAsync(signedIn: false);
        var capture = await CapturePage.OpenAsync(context);
        await Expect(capture.ById("signin")).ToBeVisibleAsync();
        await Expect(capture.ById("readiness")).ToHaveAttributeAsync("data-ready", "false");

        await capture.ById("signin-link").ClickAsync();
        await capture.Page.GetByLabel("Email").FillAsync(OfflineCirc.Tests.Infrastructure.AppFactory.AdminEmail);
        await capture.Page.GetByLabel("Password").FillAsync(OfflineCirc.Tests.Infrastructure.AppFactory.AdminPassword);
        await capture.Page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await capture.Page.WaitForURLAsync("**/offline/");
        await capture.WaitStartedAsync();
        await capture.SetUpAsync();

        await Expect(capture.ById("signin")).ToBeHiddenAsync();
        await Expect(capture.ById("header-workstation")).ToHaveTextAsync($"Workstation {Seed.Workstation}");
        await Expect(capture.ById("bootstrap-refreshed")).Not.ToHaveTextAsync("never");
        await Expect(capture.ById("blocklist-refreshed")).ToContainTextAsync("1 blocked card(s)");
        foreach (var check in new[] { "workstation", "bootstrap", "blocklist", "serviceWorker" })
        {
            await Expect(capture.ById($"settings-readiness-{check}")).ToHaveAttributeAsync("data-ok", "true");
        }
        await Expect(capture.ById("readiness-status")).ToContainTextAsync("Ready for an outage");

        // The page reports its readiness to the server whenever it is online.
        var reported = await Poll.UntilAsync(async () =>
        {
            await using var db = app.CreateDbContext();
            var ws = await db.Workstations.AsNoTracking().SingleAsync(w => w.Name == Seed.Workstation);
            return ws is { ServiceWorkerInstalled: true, BootstrapRefreshedAt: not null, BlocklistRefreshedAt: not null } ? ws : null;
        });
        Assert.NotNull(reported.ReadinessReportedAt);
    }

    [Fact]
    public async Task With_the_network_cut_a_reload_comes_from_the_service_worker()
    {
        await using var context = await app.NewContextAsync();
        var capture = await CapturePage.OpenAsync(context);
        await capture.SetUpAsync();

        await context.SetOfflineAsync(true);
        await capture.ReloadAsync();

        Assert.False(await capture.Page.EvaluateAsync<bool>("() => navigator.onLine"));
        Assert.True(await capture.Page.EvaluateAsync<bool>("() => !!navigator.serviceWorker.controller"));
        await Expect(capture.ById("network-status")).ToContainTextAsync("Offline");
        await Expect(capture.ById("header-workstation")).ToHaveTextAsync($"Workstation {Seed.Workstation}");
        await Expect(capture.ById("readiness")).ToHaveAttributeAsync("data-ready", "true");
        await Expect(capture.ById("tab-checkout")).ToHaveAttributeAsync("aria-selected", "true");
        // The API really is out of reach: the service worker answers for it with its own 503.
        var api = await capture.Page.EvaluateAsync<int>("async () => (await fetch('/api/offline/bootstrap')).status");
        Assert.Equal(503, api);

        // The staff guide is cached too.
        var guide = await context.NewPageAsync();
        var response = await guide.GotoAsync("/offline/guide.html");
        Assert.True(response?.Ok, "the staff guide did not open offline");
        await Expect(capture.ById("checkout-noncat-type").Locator($"option[value='{Seed.NoncatType}']")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task The_page_is_kept_offline_in_a_cache_named_by_the_version_the_server_made_from_its_files()
    {
        await using var context = await app.NewContextAsync();
        var capture = await CapturePage.OpenAsync(context);
        await capture.SetUpAsync();
        var script = await capture.Page.EvaluateAsync<string>("async () => (await fetch('/offline/sw.js')).text()");
        var version = System.Text.RegularExpressions.Regex.Match(script, "^const CACHE_VERSION = '([0-9a-f]{16})';").Groups[1].Value;
        Assert.NotEmpty(version);

        var caches = await capture.Page.EvaluateAsync<string[]>("() => caches.keys()");
        Assert.Equal([$"offlinecirc-{version}"], caches);
        var cached = await capture.Page.EvaluateAsync<string[]>(
            "async v => (await (await caches.open('offlinecirc-' + v)).keys()).map(r => new URL(r.url).pathname)", version);
        Assert.Contains("/offline/js/payment.js", cached);
        Assert.Contains("/offline/js/time.js", cached);
    }
}
