namespace OfflineCirc.Core.Model;

public enum SessionState
{
    Open,
    Processing,
    Processed,
    Closed,
}

/// <summary>A set of offline files gathered for one outage, processed together.</summary>
public class OfflineSession
{
    public long Id { get; set; }
    public int OrgUnitId { get; set; }
    public OrgUnit? OrgUnit { get; set; }
    public required string Description { get; set; }
    public SessionState State { get; set; }
    public string? CreatedById { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>Number of the latest run; 0 before the first.</summary>
    public int RunCount { get; set; }
    public int ProgressDone { get; set; }
    public int ProgressTotal { get; set; }
    public DateTimeOffset? ProcessedAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public List<UploadedFile> Files { get; set; } = [];
}

/// <summary>One run of the replay over a session; at most one unfinished run per session.</summary>
public class SessionRun
{
    public long Id { get; set; }
    public long SessionId { get; set; }
    public int Run { get; set; }
    public required string Kind { get; set; }
    public required string StartedBy { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public string? JobId { get; set; }
    public int Total { get; set; }
    public int Done { get; set; }
}

/// <summary>
/// A running count of one thing in a session: its stored transactions, its files, or its current results of one status
/// (<see cref="Data.SessionCounts"/>). Whoever changes what it counts changes it in the same database transaction, so a
/// session's figures are read from a few rows instead of counted (docs/adr-016).
/// </summary>
public class SessionCount
{
    public long SessionId { get; set; }
    public required string Name { get; set; }
    public long Count { get; set; }
}

public class UploadedFile
{
    public long Id { get; set; }
    public long SessionId { get; set; }
    public required string Workstation { get; set; }
    public required string FileName { get; set; }
    public required string UploadedBy { get; set; }
    public DateTimeOffset UploadedAt { get; set; }
    public required string Format { get; set; }
    /// <summary>A remark about the whole file, e.g. an unexpected Koha version.</summary>
    public string? Warning { get; set; }
    public int DeltaSeconds { get; set; }
    public long SizeBytes { get; set; }
    public string? Sha256 { get; set; }
    public int LinesRead { get; set; }
    public int Stored { get; set; }
    public int Duplicates { get; set; }
    public int Rejected { get; set; }
}

public class RejectedLine
{
    public long Id { get; set; }
    public long SessionId { get; set; }
    public long FileId { get; set; }
    public int LineNumber { get; set; }
    public required string RawText { get; set; }
    public required string Reason { get; set; }
}

/// <summary>A line that repeated a transaction already stored, and where the original is.</summary>
public class DuplicateLine
{
    public long Id { get; set; }
    public long SessionId { get; set; }
    public long FileId { get; set; }
    public int LineNumber { get; set; }
    public required string TransactionKey { get; set; }
    public long OriginalTransactionId { get; set; }
}
