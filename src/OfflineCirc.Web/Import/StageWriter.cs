using OfflineCirc.Core.Data;
using OfflineCirc.Core.Model;

namespace OfflineCirc.Web.Import;

/// <summary>Writes one validated row into the binary COPY of the staging table, column by column, in the import's own terms.</summary>
public sealed class StageWriter(CopyRowWriter copy)
{
    public void Text(string? value) => copy.Text(value);

    public void Int(int? value) => copy.Int(value);

    public void Long(long? value) => copy.Long(value);

    public void Bool(bool? value) => copy.Bool(value);

    public void Money(decimal? value) => copy.Numeric(value);

    public void Date(DateOnly? value) => copy.Date(value);

    /// <summary>Two columns: the absolute time (with offset) or the local time (resolved in SQL in the org unit's zone).</summary>
    public void Time(string? text)
    {
        DateTimeOffset? absolute = null;
        DateTime? local = null;
        if (text is not null)
        {
            Values.TryTime(text, out absolute, out local);
        }
        copy.Timestamp(absolute);
        copy.LocalTimestamp(local);
    }

    /// <summary>Two columns: the count and the unit ("days" or "hours"); an empty cell writes the fallback.</summary>
    public void Duration(string? text, string fallback)
    {
        Values.TryDuration(text ?? fallback, out var count, out var unit);
        copy.Int(count);
        copy.Text(Values.Unit(unit));
    }

    internal static string TimeColumns(string name) => $"{name}_at timestamptz, {name}_local timestamp";

    internal static string DurationColumns(string name) => $"{name}_n int, {name}_unit text";

    /// <summary>SQL for a staged time: the absolute one, else the local one in the zone of <paramref name="zoneSql"/>.</summary>
    internal static string TimeSql(string name, string zoneSql) => $"COALESCE(s.{name}_at, s.{name}_local AT TIME ZONE {zoneSql})";

    internal static readonly string DaysUnit = Values.Unit(DurationUnit.Days);
}
