using Npgsql;
using NpgsqlTypes;
using OfflineCirc.Core.Model;

namespace OfflineCirc.Web.Import;

/// <summary>Writes one validated row into the binary COPY of the staging table, column by column.</summary>
public sealed class StageWriter(NpgsqlBinaryImporter copy)
{
    public void Text(string? value)
    {
        if (value is null)
        {
            copy.WriteNull();
        }
        else
        {
            copy.Write(value, NpgsqlDbType.Text);
        }
    }

    public void Int(int? value) => Write(value, NpgsqlDbType.Integer);

    public void Long(long? value) => Write(value, NpgsqlDbType.Bigint);

    public void Bool(bool? value) => Write(value, NpgsqlDbType.Boolean);

    public void Money(decimal? value) => Write(value, NpgsqlDbType.Numeric);

    public void Date(DateOnly? value) => Write(value, NpgsqlDbType.Date);

    /// <summary>Two columns: the absolute time (with offset) or the local time (resolved in SQL in the org unit's zone).</summary>
    public void Time(string? text)
    {
        DateTimeOffset? absolute = null;
        DateTime? local = null;
        if (text is not null)
        {
            Values.TryTime(text, out absolute, out local);
        }
        Write(absolute?.UtcDateTime, NpgsqlDbType.TimestampTz);
        Write(local, NpgsqlDbType.Timestamp);
    }

    /// <summary>Two columns: the count and the unit ("days" or "hours"); an empty cell writes the fallback.</summary>
    public void Duration(string? text, string fallback)
    {
        Values.TryDuration(text ?? fallback, out var count, out var unit);
        copy.Write(count, NpgsqlDbType.Integer);
        copy.Write(Values.Unit(unit), NpgsqlDbType.Text);
    }

    private void Write<T>(T? value, NpgsqlDbType type) where T : struct
    {
        if (value is { } v)
        {
            copy.Write(v, type);
        }
        else
        {
            copy.WriteNull();
        }
    }

    internal static string TimeColumns(string name) => $"{name}_at timestamptz, {name}_local timestamp";

    internal static string DurationColumns(string name) => $"{name}_n int, {name}_unit text";

    /// <summary>SQL for a staged time: the absolute one, else the local one in the zone of <paramref name="zoneSql"/>.</summary>
    internal static string TimeSql(string name, string zoneSql) => $"COALESCE(s.{name}_at, s.{name}_local AT TIME ZONE {zoneSql})";

    internal static readonly string DaysUnit = Values.Unit(DurationUnit.Days);
}
