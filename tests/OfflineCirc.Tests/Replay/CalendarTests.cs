using NodaTime;
using OfflineCirc.Core.Model;
using OfflineCirc.Core.Replay.Calendar;

namespace OfflineCirc.Tests.Replay;

public class CalendarTests
{
    private const int Saturday = 1 << 5;
    private const int Sunday = 1 << 6;

    private static DateTimeOffset Utc(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture).ToUniversalTime();

    [Fact]
    public void Day_loan_is_due_at_end_of_local_day_across_spring_dst_in_toronto()
    {
        var toronto = OrgCalendar.For("America/Toronto", 0);
        // Monday 2 March 2026, 15:00 EST; 14 days later is after the 8 March change to EDT (-04:00).
        var due = toronto.DayLoanDue(Utc("2026-03-02T20:00:00Z"), 14);
        Assert.Equal(Utc("2026-03-16T23:59:59-04:00"), due);
    }

    [Fact]
    public void Same_instant_gives_different_due_times_in_toronto_and_vancouver()
    {
        var start = Utc("2026-03-03T04:30:00Z"); // 23:30 on 2 March in Toronto, 20:30 in Vancouver
        Assert.Equal(Utc("2026-03-16T23:59:59-04:00"), OrgCalendar.For("America/Toronto", 0).DayLoanDue(start, 14));
        Assert.Equal(Utc("2026-03-16T23:59:59-07:00"), OrgCalendar.For("America/Vancouver", 0).DayLoanDue(start, 14));
    }

    [Fact]
    public void Local_date_of_start_decides_the_day_not_the_utc_date()
    {
        var start = Utc("2026-03-03T06:30:00Z"); // 3 March in Toronto (01:30), still 2 March in Vancouver (22:30)
        Assert.Equal(Utc("2026-03-04T23:59:59-05:00"), OrgCalendar.For("America/Toronto", 0).DayLoanDue(start, 1));
        Assert.Equal(Utc("2026-03-03T23:59:59-08:00"), OrgCalendar.For("America/Vancouver", 0).DayLoanDue(start, 1));
    }

    [Fact]
    public void Day_loan_falling_on_closed_weekday_and_holiday_moves_to_next_open_day()
    {
        var closings = new[] { (new LocalDate(2026, 3, 16), new LocalDate(2026, 3, 16)) };
        var calendar = OrgCalendar.For("America/Toronto", Saturday | Sunday, closings);
        // Start Saturday 28 Feb + 14 days = Saturday 14 March: Sat, Sun closed, Monday 16 a holiday.
        var due = calendar.DayLoanDue(Utc("2026-02-28T15:00:00Z"), 14);
        Assert.Equal(Utc("2026-03-17T23:59:59-04:00"), due);
    }

    [Fact]
    public void Day_loan_across_autumn_dst_ends_at_2359_standard_time()
    {
        var due = OrgCalendar.For("America/Toronto", 0).DayLoanDue(Utc("2026-10-30T16:00:00Z"), 3);
        Assert.Equal(Utc("2026-11-02T23:59:59-05:00"), due);
    }

    [Fact]
    public void Hour_loan_is_exact_and_ignores_closed_days()
    {
        var start = Utc("2026-03-07T22:30:00Z");
        Assert.Equal(Utc("2026-03-08T02:30:00Z"), OrgCalendar.HourLoanDue(start, 4));
    }

    [Fact]
    public void Captured_due_date_on_closed_day_moves_and_is_flagged()
    {
        var calendar = OrgCalendar.For("America/Vancouver", Sunday);
        var (due, adjusted) = calendar.CapturedDue(new LocalDate(2026, 3, 15)); // a Sunday
        Assert.True(adjusted);
        Assert.Equal(Utc("2026-03-16T23:59:59-07:00"), due);
        var (open, moved) = calendar.CapturedDue(new LocalDate(2026, 3, 17));
        Assert.False(moved);
        Assert.Equal(Utc("2026-03-17T23:59:59-07:00"), open);
    }

    [Theory]
    [InlineData("2026-03-20", 2026, 3, 20)]
    [InlineData("2026-3-5", 2026, 3, 5)]
    [InlineData("2026-03-20 10:00:00", 2026, 3, 20)]
    [InlineData("2026-03-21T02:00:00Z", 2026, 3, 20)] // 22:00 EDT on the 20th
    [InlineData("2026-03-20T23:30:00-07:00", 2026, 3, 21)] // 02:30 EDT on the 21st
    public void Captured_due_date_is_read_as_a_day_in_the_circulating_zone(string text, int y, int m, int d)
    {
        Assert.True(CapturedDueDate.TryParse(text, DateTimeZoneProviders.Tzdb["America/Toronto"], out var date));
        Assert.Equal(new LocalDate(y, m, d), date);
    }

    [Theory]
    [InlineData("")]
    [InlineData("next week")]
    [InlineData("2026-02-30")]
    public void Unreadable_due_dates_are_refused(string text) => Assert.False(CapturedDueDate.IsValid(text));

    [Fact]
    public void Backdated_checkin_over_weekend_and_holiday_counts_only_open_days()
    {
        var closings = new[] { (new LocalDate(2026, 3, 16), new LocalDate(2026, 3, 16)) };
        var calendar = OrgCalendar.For("America/Toronto", Saturday | Sunday, closings);
        var due = Utc("2026-03-13T23:59:59-04:00"); // Friday
        // Sat 14, Sun 15 closed, Mon 16 holiday, Tue 17 open, Wed 18 open.
        Assert.Equal(2, calendar.OverdueDays(due, Utc("2026-03-18T10:00:00-04:00")));
        Assert.Equal(0, calendar.OverdueDays(due, Utc("2026-03-16T10:00:00-04:00")));
        Assert.Equal(0, calendar.OverdueDays(due, Utc("2026-03-13T20:00:00-04:00")));
    }

    private static readonly FineTerms Daily = new(0.25m, 1, DurationUnit.Days, 2.00m, 0, DurationUnit.Days);

    [Fact]
    public void Fine_is_days_times_rate_capped_at_max()
    {
        var calendar = OrgCalendar.For("America/Toronto", 0);
        var due = Utc("2026-03-02T23:59:59-05:00");
        Assert.Equal(0.75m, FineCalculator.Compute(Daily, calendar, due, Utc("2026-03-05T09:00:00-05:00")));
        Assert.Equal(2.00m, FineCalculator.Compute(Daily, calendar, due, Utc("2026-03-30T09:00:00-04:00")));
        Assert.Equal(0m, FineCalculator.Compute(Daily, calendar, due, Utc("2026-03-02T23:00:00-05:00")));
    }

    [Fact]
    public void Within_grace_nothing_is_charged_beyond_it_every_day_is()
    {
        var terms = Daily with { GracePeriod = 2, MaxFine = 10m };
        var calendar = OrgCalendar.For("America/Toronto", 0);
        var due = Utc("2026-03-02T23:59:59-05:00");
        Assert.Equal(0m, FineCalculator.Compute(terms, calendar, due, Utc("2026-03-04T12:00:00-05:00")));
        Assert.Equal(0.75m, FineCalculator.Compute(terms, calendar, due, Utc("2026-03-05T12:00:00-05:00")));
    }

    [Fact]
    public void Hourly_fines_charge_each_started_hour()
    {
        var terms = new FineTerms(0.10m, 1, DurationUnit.Hours, 5m, 0, DurationUnit.Hours);
        var calendar = OrgCalendar.For("America/Vancouver", 0);
        var due = Utc("2026-03-02T10:00:00-08:00");
        Assert.Equal(0.30m, FineCalculator.Compute(terms, calendar, due, Utc("2026-03-02T12:30:00-08:00")));
        Assert.Equal(0.10m, FineCalculator.Compute(terms, calendar, due, Utc("2026-03-02T10:00:01-08:00")));
    }

    [Fact]
    public void Fines_round_to_cents()
    {
        var terms = new FineTerms(0.333m, 1, DurationUnit.Days, 10m, 0, DurationUnit.Days);
        var calendar = OrgCalendar.For("America/Toronto", 0);
        var fine = FineCalculator.Compute(terms, calendar, Utc("2026-03-02T23:59:59-05:00"), Utc("2026-03-04T12:00:00-05:00"));
        Assert.Equal(0.67m, fine);
    }
}
