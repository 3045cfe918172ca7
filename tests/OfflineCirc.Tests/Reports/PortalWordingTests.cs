using OfflineCirc.Core.Model;
using OfflineCirc.Core.Replay;
using OfflineCirc.Web.Lookup;
using OfflineCirc.Web.Reports;

namespace OfflineCirc.Tests.Reports;

/// <summary>The one time format, the words catalogue and the desk overrides, without a web host.</summary>
public sealed class PortalWordingTests
{
    private static readonly DateTimeOffset Winter = new(2026, 3, 5, 19, 7, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Summer = new(2026, 7, 5, 19, 7, 0, TimeSpan.Zero);

    [Fact]
    public void A_time_is_shown_in_its_librarys_zone_with_the_zones_abbreviation()
    {
        Assert.Equal("2026-03-05 14:07 EST", TimeDisplay.Show(Winter, "America/Toronto"));
        Assert.Equal("2026-07-05 15:07 EDT", TimeDisplay.Show(Summer, "America/Toronto"));
        Assert.Equal("2026-03-05 11:07 PST", TimeDisplay.Show(Winter, "America/Vancouver"));
        Assert.Equal("2026-03-05 19:07 UTC", TimeDisplay.Show(Winter, "Not/AZone"));
        Assert.Equal("", TimeDisplay.Show(null, "America/Toronto"));
    }

    [Fact]
    public void Times_inside_messages_take_the_page_format_on_pages_and_iso_8601_in_csv()
    {
        const string message = "Checked out, due 2026-03-19 23:59:59 -04:00. Item changed (status lost since 2026-03-05 19:07:00Z).";
        var zone = TimeDisplay.Zone("America/Toronto");
        Assert.Equal("Checked out, due 2026-03-19 23:59 EDT. Item changed (status lost since 2026-03-05 14:07 EST).",
            TimeDisplay.InMessage(message, zone));
        Assert.Equal("Checked out, due 2026-03-19T23:59:59-04:00. Item changed (status lost since 2026-03-05T19:07:00+00:00).",
            TimeDisplay.IsoInMessage(message));
    }

    [Fact]
    public void A_patron_named_in_a_message_is_a_link_only_within_reach()
    {
        var zone = TimeDisplay.Zone("America/Toronto");
        var inReach = new Dictionary<long, PatronLink> { [2001] = new(2001, "/Lookup/Patron?barcode=21234") };
        var outside = new Dictionary<long, PatronLink> { [2001] = new(2001, null) };
        Assert.Equal("Registered. Similar to existing <a href=\"/Lookup/Patron?barcode=21234\">patron #2001</a>.",
            Html(MessageText.Render("Registered. Similar to existing patron #2001.", zone, inReach)));
        Assert.Equal("Registered. Similar to existing patron #2001 (at another library).",
            Html(MessageText.Render("Registered. Similar to existing patron #2001.", zone, outside)));
        Assert.Equal("&lt;b&gt; patron #7", Html(MessageText.Render("<b> patron #7", zone, inReach)));
    }

    [Fact]
    public void Overrides_are_read_from_the_line_as_received()
    {
        var found = DeskOverrides.Parse("""{"id":"x","type":"checkout","overrides":[{"code":"PATRON_BARRED","by":"BR1-CIRC-01","at":1772719331},{"code":"BAD_CHECK_DIGIT","at":"1772719340"},{"by":"no code"}]}""");
        Assert.Equal([("PATRON_BARRED", "BR1-CIRC-01"), ("BAD_CHECK_DIGIT", null)], found.Select(o => (o.Code, o.By)));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1772719331), found[0].At);
        Assert.Empty(DeskOverrides.Parse("2026-03-05 09:00:00 123\tissue\t123\t456"));
        Assert.Empty(DeskOverrides.Parse("""{"overrides": "not a list"}"""));
    }

    [Fact]
    public void Every_code_status_state_and_follow_up_has_words()
    {
        Assert.All(ResultCodes.All, c => Assert.NotEqual(c, Words.Code(c).Label));
        Assert.All(FollowUpKinds.All, k => Assert.NotEqual(k, Words.FollowUp(k).Label));
        Assert.All(Enum.GetValues<ResultStatus>(), s => Assert.False(string.IsNullOrEmpty(Words.Status(s).Sentence)));
        Assert.All(Enum.GetValues<SessionState>(), s => Assert.False(string.IsNullOrEmpty(Words.State(s).Sentence)));
        Assert.Equal("In-house use", Words.Type("in_house_use"));
        Assert.Equal("Checked out", Words.Snake("checked_out"));
    }

    private static string Html(Microsoft.AspNetCore.Html.IHtmlContent content)
    {
        using var writer = new StringWriter();
        content.WriteTo(writer, System.Text.Encodings.Web.HtmlEncoder.Default);
        return writer.ToString();
    }
}
