using System.Text.Json;
using NodaTime;
using OfflineCirc.Core.Transactions;

namespace OfflineCirc.Core.Formats;

/// <summary>Turns one line (or one JSON transaction) into a <see cref="LineOutcome"/>; used by the file reader and the JSON API.</summary>
public static class TransactionParser
{
    /// <summary>How much of a rejected line is kept to show staff.</summary>
    public const int MaxRawTextLength = 500;

    /// <summary>Parses one JSON Lines line (native or Evergreen).</summary>
    public static LineOutcome ParseJsonLine(string line, int lineNumber, UploadContext context) =>
        ParseJsonLine(line, lineNumber, context, out _);

    internal static LineOutcome ParseJsonLine(string line, int lineNumber, UploadContext context, out FileFormat format)
    {
        var candidate = JsonLineMapper.Parse(line, out var reason);
        format = candidate?.Format ?? FileFormat.Unknown;
        return Finish(candidate, reason, line, lineNumber, context);
    }

    /// <summary>Parses one transaction posted as JSON (the capture page's upload).</summary>
    public static LineOutcome ParseJson(JsonElement transaction, int lineNumber, UploadContext context)
    {
        var text = transaction.GetRawText();
        return Finish(JsonLineMapper.Map(transaction, text, out var reason), reason, text, lineNumber, context);
    }

    /// <summary>Parses one Koha data line (not the header).</summary>
    public static LineOutcome ParseKohaLine(string line, int lineNumber, UploadContext context) =>
        Finish(KohaLineMapper.Parse(line, out var reason), reason, line, lineNumber, context);

    internal static LineOutcome.Rejected Reject(int lineNumber, string raw, string reason) =>
        new(lineNumber, Reasons.CutRaw(raw, MaxRawTextLength), reason);

    private static LineOutcome Finish(TransactionCandidate? candidate, string? reason, string raw, int lineNumber, UploadContext context)
    {
        if (candidate is null)
        {
            return Reject(lineNumber, raw, reason ?? Reasons.NotValidJson);
        }
        var workstation = candidate.Workstation ?? context.Workstation.Trim();
        if (workstation.Length == 0)
        {
            return Reject(lineNumber, raw, "no workstation (the line names none and none was given with the upload)");
        }
        candidate.ResolveDates(context.ZoneFor(candidate.Org, workstation));
        var reasons = TransactionValidators.Validate(candidate);
        if (reasons.Count > 0)
        {
            return Reject(lineNumber, raw, string.Join("; ", reasons));
        }
        return new LineOutcome.Parsed(Build(candidate, workstation, lineNumber, context));
    }

    private static ParsedTransaction Build(TransactionCandidate c, string workstation, int lineNumber, UploadContext context)
    {
        var lineDelta = (int)Math.Round(c.Delta.Value ?? 0m, MidpointRounding.AwayFromZero);
        var delta = lineDelta + context.DeltaSeconds;
        var recorded = c.Timestamp.Value!.Value + Duration.FromSeconds(delta);
        // The validator accepted the type, so it names a kind.
        var kind = TransactionKinds.Find(c.Type)!;
        var effective = kind.EffectiveTime(c)?.Value ?? recorded;
        var hasId = c.Id is not null;
        // The validator accepted the id as a UUID in its "D" form; only its letters' case may vary.
        var key = hasId ? TransactionKeys.ForId(c.Id!) : TransactionKeys.ForContent(c.CanonicalContent, workstation);
        return new ParsedTransaction
        {
            Key = key.Text,
            KeyDigest = key.Digest,
            HasClientId = hasId,
            LineNumber = lineNumber,
            Type = kind.Name,
            Workstation = workstation,
            Org = c.Org,
            RecordedAt = recorded.ToDateTimeOffset(),
            EffectiveAt = effective.ToDateTimeOffset(),
            DeltaSeconds = delta,
            PatronBarcode = c.PatronBarcode,
            ItemBarcode = c.ItemBarcode,
            NoncatType = c.NoncatType,
            NoncatCount = c.IsNoncat ? (int)(c.NoncatCount.Value ?? 1) : null,
            DueDate = c.DueDateText,
            CheckoutTime = c.CheckoutTime.Value?.ToDateTimeOffset(),
            Backdate = c.Backdate.Value?.ToDateTimeOffset(),
            UseTime = c.UseTime.Value?.ToDateTimeOffset(),
            Count = kind.Count(c),
            Amount = kind.Amount(c),
            Patron = kind.HasParsedPayload ? c.User : null,
            Parsed = kind.Parsed(c),
            Payload = c.Payload,
        };
    }
}
