using System.Globalization;
using NodaTime;
using OfflineCirc.Core.Transactions.Kinds;

namespace OfflineCirc.Core.Formats;

/// <summary>A date field as read: its text (null when absent) and, once the zone is known, its instant.</summary>
public sealed class DateField
{
    public DateField(string? text) => Text = text;

    public string? Text { get; }
    public bool Given => Text is not null;
    public OfflineDate? Parsed { get; private set; }
    public Instant? Value { get; private set; }

    internal void Resolve(DateTimeZone zone)
    {
        if (OfflineDate.TryParse(Text, out var date))
        {
            Parsed = date;
            Value = date.ToInstant(zone);
        }
    }
}

/// <summary>A number field as read: its text (null when absent) and its value when it is a number.</summary>
public sealed class NumberField
{
    public NumberField(string? text)
    {
        Text = text;
        if (text is not null && decimal.TryParse(DecimalComma(text),
                NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
                CultureInfo.InvariantCulture, out var value))
        {
            Value = value;
        }
    }

    public string? Text { get; }
    public bool Given => Text is not null;
    public decimal? Value { get; }

    /// <summary>Reads "2,50" (a decimal comma, as European Koha sites type amounts) as 2.50; "1,000" stays unreadable.</summary>
    private static string DecimalComma(string text)
    {
        var comma = text.IndexOf(',', StringComparison.Ordinal);
        var decimals = text.Length - comma - 1;
        return comma > 0 && decimals is 1 or 2 && !text.Contains('.', StringComparison.Ordinal)
            ? string.Concat(text.AsSpan(0, comma), ".", text.AsSpan(comma + 1))
            : text;
    }
    public bool IsWholeNumber => Value is { } v && v == decimal.Truncate(v);
}

/// <summary>
/// One line mapped to the common shape every format shares (native, Evergreen and Koha alike), before
/// validation. Strings are trimmed; empty strings count as absent.
/// </summary>
public sealed class TransactionCandidate
{
    /// <summary>Where the line came from, for the file-level format.</summary>
    public FileFormat Format { get; init; }

    /// <summary>Problems found while reading the line's shape (e.g. a field given twice).</summary>
    public List<string> Problems { get; } = [];

    public string? Id { get; init; }
    public string? Type { get; init; }
    public DateField Timestamp { get; init; } = new(null);
    public NumberField Delta { get; init; } = new(null);
    public string? Workstation { get; init; }
    public string? Org { get; init; }
    public string? PatronBarcode { get; init; }
    public string? ItemBarcode { get; init; }
    public string? NoncatType { get; init; }
    public NumberField NoncatCount { get; init; } = new(null);
    public string? DueDateText { get; init; }
    public DateField CheckoutTime { get; init; } = new(null);
    public DateField Backdate { get; init; } = new(null);
    public DateField UseTime { get; init; } = new(null);
    public NumberField Count { get; init; } = new(null);
    public NumberField Amount { get; init; } = new(null);

    /// <summary>True when the line has a <c>user</c> field; <see cref="User"/> is null if it was not an object.</summary>
    public bool UserGiven { get; init; }
    public RegisteredPatron? User { get; init; }

    /// <summary>The transaction as received, trimmed (for Koha, the object built from the line, as compact JSON).</summary>
    public required string Payload { get; init; }

    /// <summary>The content the key is computed from when there is no id: JSON with sorted keys, no whitespace.</summary>
    public required string CanonicalContent { get; init; }

    /// <summary>The due date as a calendar date in the recording zone, when it parses.</summary>
    public LocalDate? DueDate { get; private set; }

    /// <summary>23:59:59 local on <see cref="DueDate"/>.</summary>
    public Instant? DueEnd { get; private set; }

    public bool IsNoncat => NoncatType is not null;

    /// <summary>Reads every date in the zone of the recording org (or workstation).</summary>
    public void ResolveDates(DateTimeZone zone)
    {
        Timestamp.Resolve(zone);
        CheckoutTime.Resolve(zone);
        Backdate.Resolve(zone);
        UseTime.Resolve(zone);
        if (OfflineDate.TryParse(DueDateText, out var due))
        {
            DueDate = due.ToLocalDate(zone);
            DueEnd = OfflineDate.EndOfDay(DueDate.Value, zone);
        }
    }
}
