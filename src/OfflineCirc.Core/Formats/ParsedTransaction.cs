using OfflineCirc.Core.Model;
using OfflineCirc.Core.Transactions.Kinds;

namespace OfflineCirc.Core.Formats;

/// <summary>One valid transaction read from an offline file: everything intake stores for it.</summary>
public sealed record ParsedTransaction
{
    /// <summary>The line's id (lowercase UUID), else the lowercase hex SHA-256 of its content and workstation.</summary>
    public required string Key { get; init; }
    /// <summary>The key's 16-byte digest, which the database holds unique (<see cref="TransactionKeys"/>).</summary>
    public Guid KeyDigest { get; init; }
    public bool HasClientId { get; init; }
    public int LineNumber { get; init; }
    public required string Type { get; init; }
    /// <summary>The line's own workstation, else the upload's.</summary>
    public required string Workstation { get; init; }
    public string? Org { get; init; }
    /// <summary>timestamp + the line's delta + the upload's delta.</summary>
    public DateTimeOffset RecordedAt { get; init; }
    /// <summary>The kind's own effective time (checkout_time, backdate or use_time) when given, else <see cref="RecordedAt"/>.</summary>
    public DateTimeOffset EffectiveAt { get; init; }
    /// <summary>The total correction applied: the line's delta plus the upload's.</summary>
    public int DeltaSeconds { get; init; }
    public string? PatronBarcode { get; init; }
    public string? ItemBarcode { get; init; }
    public string? NoncatType { get; init; }
    public int? NoncatCount { get; init; }
    /// <summary>The captured due date as written (trimmed); day-granular, resolved at replay.</summary>
    public string? DueDate { get; init; }
    public DateTimeOffset? CheckoutTime { get; init; }
    public DateTimeOffset? Backdate { get; init; }
    public DateTimeOffset? UseTime { get; init; }
    public int? Count { get; init; }
    public decimal? Amount { get; init; }
    /// <summary>The new patron of a registration.</summary>
    public RegisteredPatron? Patron { get; init; }
    /// <summary>The typed payload its kind parsed (JSON, for the <c>parsed</c> column), e.g. a registration's new patron; else null.</summary>
    public string? Parsed { get; init; }
    /// <summary>The transaction as received, trimmed (for Koha, the object built from the line, as compact JSON).</summary>
    public required string Payload { get; init; }
}
