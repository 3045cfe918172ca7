using Npgsql;
using NpgsqlTypes;

namespace OfflineCirc.Core.Data;

/// <summary>Binary COPY writes of values that may be missing: the value with its type, or NULL.</summary>
public static class CopyWriter
{
    public static Task WriteTextAsync(this NpgsqlBinaryImporter copy, string? value, CancellationToken ct) =>
        value is null ? copy.WriteNullAsync(ct) : copy.WriteAsync(value, NpgsqlDbType.Text, ct);

    public static Task WriteLongAsync(this NpgsqlBinaryImporter copy, long? value, CancellationToken ct) =>
        value is { } v ? copy.WriteAsync(v, NpgsqlDbType.Bigint, ct) : copy.WriteNullAsync(ct);

    public static Task WriteIntAsync(this NpgsqlBinaryImporter copy, int? value, CancellationToken ct) =>
        value is { } v ? copy.WriteAsync(v, NpgsqlDbType.Integer, ct) : copy.WriteNullAsync(ct);

    public static Task WriteTimeAsync(this NpgsqlBinaryImporter copy, DateTimeOffset? value, CancellationToken ct) =>
        value is { } v ? copy.WriteAsync(v.ToUniversalTime(), NpgsqlDbType.TimestampTz, ct) : copy.WriteNullAsync(ct);

    public static Task WriteDateAsync(this NpgsqlBinaryImporter copy, DateOnly? value, CancellationToken ct) =>
        value is { } v ? copy.WriteAsync(v, NpgsqlDbType.Date, ct) : copy.WriteNullAsync(ct);

    public static Task WriteMoneyAsync(this NpgsqlBinaryImporter copy, decimal? value, CancellationToken ct) =>
        value is { } v ? copy.WriteAsync(v, NpgsqlDbType.Numeric, ct) : copy.WriteNullAsync(ct);
}
