using OfflineCirc.Core.Model;

namespace OfflineCirc.Core.Replay.Calendar;

/// <summary>The fine terms of a policy, detached from EF so the rules stay pure.</summary>
public sealed record FineTerms(
    decimal FinePerInterval,
    int FineInterval,
    DurationUnit FineIntervalUnit,
    decimal MaxFine,
    int GracePeriod,
    DurationUnit GracePeriodUnit)
{
    public static FineTerms None { get; } = new(0m, 1, DurationUnit.Days, 0m, 0, DurationUnit.Days);

    public static FineTerms Of(CirculationPolicy p) =>
        new(p.FinePerInterval, p.FineInterval, p.FineIntervalUnit, p.MaxFine, p.GracePeriod, p.GracePeriodUnit);
}

/// <summary>Overdue fines (docs/replay-rules.md, calendar).</summary>
public static class FineCalculator
{
    /// <summary>
    /// Fine for a loan due at <paramref name="due"/> returned at <paramref name="checkin"/>. Daily intervals count open
    /// overdue days of the circulating org; hourly intervals count started hours. Within the grace period nothing is
    /// charged; past it every overdue unit is. The result is min(units x rate, max fine) in cents.
    /// </summary>
    public static decimal Compute(FineTerms terms, OrgCalendar calendar, DateTimeOffset due, DateTimeOffset checkin)
    {
        if (terms.FinePerInterval <= 0m || checkin <= due)
        {
            return 0m;
        }
        var interval = Math.Max(1, terms.FineInterval);
        int overdueUnits;
        int graceUnits;
        if (terms.FineIntervalUnit == DurationUnit.Hours)
        {
            overdueUnits = OrgCalendar.OverdueStartedHours(due, checkin);
            graceUnits = terms.GracePeriodUnit == DurationUnit.Days ? terms.GracePeriod * 24 : terms.GracePeriod;
        }
        else
        {
            overdueUnits = calendar.OverdueDays(due, checkin);
            graceUnits = terms.GracePeriodUnit == DurationUnit.Hours ? terms.GracePeriod / 24 : terms.GracePeriod;
        }
        if (overdueUnits == 0 || overdueUnits <= graceUnits)
        {
            return 0m;
        }
        // An interval of N days (or hours) is charged once per started N.
        var intervals = (overdueUnits + interval - 1) / interval;
        var fine = Math.Min(intervals * terms.FinePerInterval, terms.MaxFine);
        return Math.Round(fine, 2, MidpointRounding.AwayFromZero);
    }
}
