namespace OfflineCirc.Core.Model;

/// <summary>A node of the consortium > system > branch tree.</summary>
public class OrgUnit
{
    public int Id { get; set; }
    public required string ShortName { get; set; }
    public required string Name { get; set; }
    public int? ParentId { get; set; }
    public OrgUnit? Parent { get; set; }
    /// <summary>Materialised ancestry such as "/1/3/7/": subtree checks are a prefix match.</summary>
    public string Path { get; set; } = "/";
    public required string TimeZone { get; set; }
    /// <summary>Bit 0 = Monday ... bit 6 = Sunday.</summary>
    public int ClosedWeekdays { get; set; }
    /// <summary>Section 6.6: skip transactions on items changed elsewhere after the capture.</summary>
    public bool SkipOnNewerActivity { get; set; } = true;
    /// <summary>Whether patrons may be identified by username at the desk.</summary>
    public bool AllowUsernameLookup { get; set; }
    public List<OrgClosing> Closings { get; set; } = [];
}

public class OrgClosing
{
    public int Id { get; set; }
    public int OrgUnitId { get; set; }
    public OrgUnit? OrgUnit { get; set; }
    public DateOnly StartDate { get; set; }
    public DateOnly EndDate { get; set; }
    public string Reason { get; set; } = "";
}

public class Workstation
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public int OrgUnitId { get; set; }
    public OrgUnit? OrgUnit { get; set; }
    public DateTimeOffset RegisteredAt { get; set; }
    public string? RegisteredBy { get; set; }
    // Readiness of the capture page on this workstation, as last reported by it.
    public DateTimeOffset? ReadinessReportedAt { get; set; }
    public DateTimeOffset? BootstrapRefreshedAt { get; set; }
    public DateTimeOffset? BlocklistRefreshedAt { get; set; }
    public bool ServiceWorkerInstalled { get; set; }
}
