using NodaTime;
using NodaTime.Text;
using OfflineCirc.Core.Formats;

namespace OfflineCirc.Tests.Formats;

public class OfflineDateTests
{
    private static readonly DateTimeZone Toronto = DateTimeZoneProviders.Tzdb["America/Toronto"];
    private static readonly DateTimeZone Paris = DateTimeZoneProviders.Tzdb["Europe/Paris"];

    private static string Read(string text, DateTimeZone zone)
    {
        Assert.True(OfflineDate.TryParse(text, out var date), text);
        return InstantPattern.ExtendedIso.Format(date.ToInstant(zone));
    }

    [Theory]
    [InlineData("1772719331", "2026-03-05T14:02:11Z")]
    [InlineData("1772719331.5", "2026-03-05T14:02:11.5Z")]
    [InlineData("2026-03-05T14:02:11Z", "2026-03-05T14:02:11Z")]
    [InlineData("2026-03-05T14:02:11.412Z", "2026-03-05T14:02:11.412Z")]
    [InlineData("2026-03-05T09:02:11-05:00", "2026-03-05T14:02:11Z")]
    [InlineData("2026-03-05T15:02:11+0100", "2026-03-05T14:02:11Z")]
    [InlineData("2026-03-05T09:02:11", "2026-03-05T14:02:11Z")]
    [InlineData("2026-03-05 09:02:11", "2026-03-05T14:02:11Z")]
    [InlineData("2026-03-05 09:02", "2026-03-05T14:02:00Z")]
    [InlineData("2026-3-5 9:2:11", "2026-03-05T14:02:11Z")]
    [InlineData("2026-3-5 9:4:7", "2026-03-05T14:04:07Z")]
    [InlineData("2026-03-05", "2026-03-05T05:00:00Z")]
    [InlineData("2026-03-05 09:02:11 482", "2026-03-05T14:02:11.482Z")]
    [InlineData("2026-03-05 09-02-11 482", "2026-03-05T14:02:11.482Z")]
    [InlineData("  2026-03-05 09:02:11  ", "2026-03-05T14:02:11Z")]
    public void Reads_every_accepted_form_in_Toronto(string text, string expected)
    {
        Assert.Equal(expected, Read(text, Toronto));
    }

    [Theory]
    [InlineData("2026-3-5 15:2:11", "2026-03-05T14:02:11Z")]
    [InlineData("2026-07-14 12:00:00", "2026-07-14T10:00:00Z")]
    [InlineData("2026-07-14T12:00:00Z", "2026-07-14T12:00:00Z")]
    public void Local_times_follow_Paris_summer_and_winter_time(string text, string expected)
    {
        Assert.Equal(expected, Read(text, Paris));
    }

    [Fact]
    public void Time_in_the_spring_gap_moves_forward_and_repeated_autumn_hour_takes_the_earlier()
    {
        // Toronto skips 02:00-03:00 on 2026-03-08 and repeats 01:00-02:00 on 2026-11-01.
        Assert.Equal("2026-03-08T07:30:00Z", Read("2026-03-08 02:30:00", Toronto));
        Assert.Equal("2026-11-01T05:30:00Z", Read("2026-11-01 01:30:00", Toronto));
    }

    [Theory]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("2026-02-30")]
    [InlineData("2026-13-01")]
    [InlineData("2026-03-05 24:00:00")]
    [InlineData("2026-03-05 09:60:00")]
    [InlineData("2026-03-05T09:02:11+25:00")]
    [InlineData("0900-01-01")]
    [InlineData("99999999999999")]
    [InlineData("05/03/2026")]
    [InlineData("2026-02-29T10:00:00Z")]
    [InlineData("2026-03-05T24:00:00Z")]
    [InlineData("2026-03-05T1a:00:00Z")]
    [InlineData("3026-03-05T10:00:00Z")]
    public void Refuses_what_is_not_a_date(string text)
    {
        Assert.False(OfflineDate.TryParse(text, out _));
    }

    [Fact]
    public void Due_date_is_a_calendar_date_ending_at_23_59_59_local()
    {
        Assert.True(OfflineDate.TryParse("2026-03-19T04:00:00.000Z", out var isoDue));
        Assert.True(OfflineDate.TryParse("2026-3-19", out var localDue));

        Assert.Equal(new LocalDate(2026, 3, 19), isoDue.ToLocalDate(Toronto));
        Assert.Equal(new LocalDate(2026, 3, 19), localDue.ToLocalDate(Toronto));
        Assert.Equal("2026-03-20T03:59:59Z", InstantPattern.ExtendedIso.Format(OfflineDate.EndOfDay(new LocalDate(2026, 3, 19), Toronto)));
        Assert.False(localDue.HasTime);
        Assert.True(localDue.IsLocal);
        Assert.False(isoDue.IsLocal);
    }

    [Fact]
    public void Org_zone_wins_over_workstation_zone_and_unknown_names_fall_back_to_UTC()
    {
        var context = FormatTestSupport.Upload("PAR-CIRC-01");

        Assert.Equal(Toronto, context.ZoneFor("BR1", "PAR-CIRC-01"));
        Assert.Equal(Paris, context.ZoneFor(null, "PAR-CIRC-01"));
        Assert.Equal(Paris, context.ZoneFor("NOWHERE", "PAR-CIRC-01"));
        Assert.Equal(DateTimeZone.Utc, context.ZoneFor("NOWHERE", "UNKNOWN-WS"));
        Assert.Equal(DateTimeZone.Utc, new UploadContext("ANY").ZoneFor("BR1", "BR1-CIRC-01"));
    }
}
