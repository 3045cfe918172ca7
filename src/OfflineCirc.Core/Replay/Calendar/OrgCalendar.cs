using NodaTime;

namespace OfflineCirc.Core.Replay.Calendar;

/// <summary>
/// The opening calendar of one org unit (docs/replay-rules.md, calendar): its IANA zone, its weekly closed days and its dated closings
/// (inclusive local dates). A day is closed when either says so.
/// </summary>
public sealed class OrgCalendar
{
    /// <summary>Last second of a loan day, local time.</summary>
    public static readonly LocalTime EndOfDay = new(23, 59, 59);

    // A calendar closed every day would loop for ever; a year is far beyond any real closing.
    private const int MaxDaysSearched = 366;

    private readonly int _closedWeekdays;
    private readonly (LocalDate Start, LocalDate End)[] _closings;

    public OrgCalendar(DateTimeZone zone, int closedWeekdays, IEnumerable<(LocalDate Start, LocalDate End)>? closings = null)
    {
        Zone = zone;
        _closedWeekdays = closedWeekdays & 0x7F;
        _closings = (closings ?? []).OrderBy(c => c.Start).ToArray();
    }

    public DateTimeZone Zone { get; }

    /// <summary>Builds a calendar from a zone id such as "America/Toronto"; unknown ids fall back to UTC.</summary>
    public static OrgCalendar For(string zoneId, int closedWeekdays, IEnumerable<(LocalDate Start, LocalDate End)>? closings = null) =>
        new(DateTimeZoneProviders.Tzdb.GetZoneOrNull(zoneId) ?? DateTimeZone.Utc, closedWeekdays, closings);

    /// <summary>Bit 0 = Monday ... bit 6 = Sunday, as stored on org units.</summary>
    public static int WeekdayBit(IsoDayOfWeek day) => 1 << ((int)day - 1);

    public bool IsClosed(LocalDate date)
    {
        if ((_closedWeekdays & WeekdayBit(date.DayOfWeek)) != 0)
        {
            return true;
        }
        foreach (var (start, end) in _closings)
        {
            if (start > date)
            {
                break;
            }
            if (date <= end)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The date itself when open, else the first open day after it.</summary>
    public LocalDate NextOpenDay(LocalDate date)
    {
        var d = date;
        for (var i = 0; i < MaxDaysSearched && IsClosed(d); i++)
        {
            d = d.PlusDays(1);
        }
        return IsClosed(d) ? date : d;
    }

    public LocalDate LocalDateOf(DateTimeOffset instant) =>
        Instant.FromDateTimeOffset(instant).InZone(Zone).Date;

    /// <summary>23:59:59 local on the given date, as an instant with offset zero.</summary>
    public DateTimeOffset EndOfDayOn(LocalDate date) =>
        Zone.AtLeniently(date.At(EndOfDay)).ToDateTimeOffset().ToUniversalTime();

    /// <summary>Day loan: 23:59:59 local on (local start date + days), moved forward off closed days silently.</summary>
    public DateTimeOffset DayLoanDue(DateTimeOffset start, int days) =>
        EndOfDayOn(NextOpenDay(LocalDateOf(start).PlusDays(days)));

    /// <summary>Hour loan: start + hours, exactly; closed days do not move it.</summary>
    public static DateTimeOffset HourLoanDue(DateTimeOffset start, int hours) =>
        start.ToUniversalTime().AddHours(hours);

    /// <summary>A captured due date: its day at 23:59:59 local, moved off closed days; Adjusted says it moved.</summary>
    public (DateTimeOffset Due, bool Adjusted) CapturedDue(LocalDate date)
    {
        var open = NextOpenDay(date);
        return (EndOfDayOn(open), open != date);
    }

    /// <summary>
    /// Local dates after the due date up to and including the check-in's local date, less closed days; zero when the
    /// check-in is not after the due time.
    /// </summary>
    public int OverdueDays(DateTimeOffset due, DateTimeOffset checkin)
    {
        if (checkin <= due)
        {
            return 0;
        }
        var dueDate = LocalDateOf(due);
        var checkinDate = LocalDateOf(checkin);
        var days = 0;
        for (var d = dueDate.PlusDays(1); d <= checkinDate; d = d.PlusDays(1))
        {
            if (!IsClosed(d))
            {
                days++;
            }
        }
        return days;
    }

    /// <summary>Every started hour after the due time (hour fine intervals ignore the calendar).</summary>
    public static int OverdueStartedHours(DateTimeOffset due, DateTimeOffset checkin)
    {
        if (checkin <= due)
        {
            return 0;
        }
        var elapsed = checkin - due;
        return (int)Math.Ceiling(elapsed.TotalHours);
    }
}
