namespace OfflineCirc.Core.Formats;

/// <summary>What became of one non-blank line of an offline file: exactly one of <see cref="Parsed"/> or <see cref="Rejected"/>.</summary>
public abstract record LineOutcome(int LineNumber)
{
    /// <summary>The line is a valid transaction.</summary>
    public sealed record Parsed(ParsedTransaction Transaction) : LineOutcome(Transaction.LineNumber);

    /// <summary>The line cannot be stored; <paramref name="RawText"/> is cut to at most 500 characters.</summary>
    public sealed record Rejected(int LineNumber, string RawText, string Reason) : LineOutcome(LineNumber);
}
