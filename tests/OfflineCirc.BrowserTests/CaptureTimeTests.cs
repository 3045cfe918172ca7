using System.Globalization;
using System.Text.RegularExpressions;
using NodaTime;
using OfflineCirc.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OfflineCirc.BrowserTests;

/// <summary>Times on the capture page read as in the portal: the library's zone and its abbreviation, never the computer's.</summary>
[Collection(CapturePageCollection.Name)]
public sealed partial class CaptureTimeTests(CaptureFixture app)
{
    private static readonly DateTimeZone Library = DateTimeZoneProviders.Tzdb["America/Toronto"];

    [Fact]
    public async Task Times_show_in_the_librarys_zone_with_its_abbreviation_on_a_computer_set_to_another_zone()
    {
        // The computer says Tokyo; the workstation's library is in Toronto.
        await using var context = await app.NewContextAsync(timeZone: "Asia/Tokyo");
        var capture = await CapturePage.OpenOfflineAsync(context);
        var yesterday = SystemClock.Instance.GetCurrentInstant().InZone(Library).LocalDateTime.PlusDays(-1);
        var backdate = yesterday.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

        await capture.CheckoutAsync(app.Seed.GoodPatron, Barcodes.Item());
        await capture.CheckinAsync(Barcodes.Item(), backdate);

        var records = await capture.PendingRecordsAsync();
        var checkout = Assert.Single(records, r => r.GetProperty("type").GetString() == "checkout");
        var checkin = Assert.Single(records, r => r.GetProperty("type").GetString() == "checkin");
        var recorded = Instant.FromUnixTimeSeconds(checkout.GetProperty("timestamp").GetInt64());
        // Times written into a capture carry the library's offset too, and a backdate is the library's wall time.
        Assert.EndsWith(Offset(recorded), checkout.GetProperty("checkout_time").GetString());
        var typed = Library.AtLeniently(yesterday.With(TimeAdjusters.TruncateToMinute));
        Assert.Equal($"{backdate}:00{Offset(typed.ToInstant())}", checkin.GetProperty("backdate").GetString());

        await capture.TabAsync("pending");
        var row = capture.ById("pending-row").Filter(new() { HasText = "Check-out" });
        await Expect(row.Locator("td").First).ToHaveTextAsync(Portal(recorded));

        await capture.TabAsync("checkin");
        await capture.ById("checkin-backdate").FillAsync(backdate);
        await Expect(capture.ById("checkin-backdate-note")).ToContainTextAsync(Portal(typed.ToInstant()));

        await capture.TabAsync("settings");
        await Expect(capture.ById("bootstrap-refreshed")).ToHaveTextAsync(RefreshedLine());
        await Expect(capture.ById("blocklist-refreshed")).ToContainTextAsync(OneTime());
        await Expect(capture.ById("settings-zone")).ToContainTextAsync("(America/Toronto), whatever this computer's own setting");

        // Beyond the table bootstrap sent (two years ahead), the page falls back to the zone's offset from the browser.
        var farAhead = SystemClock.Instance.GetCurrentInstant() + Duration.FromDays(5 * 365);
        var shown = await capture.Page.EvaluateAsync<string>(
            "async s => (await import('/offline/js/context.js')).formatTime(s)", farAhead.ToUnixTimeSeconds());
        var offset = Library.GetUtcOffset(farAhead).ToString("+HH:mm", CultureInfo.InvariantCulture);
        Assert.Equal(farAhead.InZone(Library).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC" + offset, shown);
    }

    /// <summary>The portal's form: yyyy-MM-dd HH:mm and the tzdb abbreviation NodaTime gives.</summary>
    private static string Portal(Instant instant) =>
        instant.InZone(Library).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " " + Library.GetZoneInterval(instant).Name;

    private static string Offset(Instant instant) =>
        Library.GetUtcOffset(instant).ToString("+HH:mm", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2} E[SD]T \(server time \d{4}-\d{2}-\d{2} \d{2}:\d{2} E[SD]T\)$")]
    private static partial Regex RefreshedLine();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2} E[SD]T \(list generated \d{4}-\d{2}-\d{2} \d{2}:\d{2} E[SD]T, ")]
    private static partial Regex OneTime();
}
