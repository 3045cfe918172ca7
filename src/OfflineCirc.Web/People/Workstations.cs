using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using OfflineCirc.Core.Data;
using OfflineCirc.Core.Model;
using OfflineCirc.Web.Audit;

namespace OfflineCirc.Web.People;

public sealed record WorkstationRegistration(string? Name, string? Org);

public sealed class WorkstationRegistrationValidator : AbstractValidator<WorkstationRegistration>
{
    public WorkstationRegistrationValidator()
    {
        RuleFor(x => x.Name).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("Give the workstation a name, e.g. BR1-CIRC-01.")
            .MaximumLength(64).WithMessage("A workstation name has at most 64 characters.")
            .Matches("^[A-Za-z0-9][A-Za-z0-9._-]*$").WithMessage("Use letters, digits, '-', '_' or '.' in a workstation name, e.g. BR1-CIRC-01.");
        RuleFor(x => x.Org).NotEmpty().WithMessage("Choose the library the workstation belongs to.");
    }
}

public enum RegistrationStatus
{
    Registered,
    Invalid,
    Conflict,
}

public sealed record RegistrationOutcome(RegistrationStatus Status, IReadOnlyDictionary<string, string[]> Errors, WorkstationRow? Workstation = null);

/// <summary>A workstation as listed to people: where it is and whether its capture page is ready for an outage.</summary>
public sealed record WorkstationRow(
    int Id,
    string Name,
    string Org,
    string OrgName,
    DateTimeOffset RegisteredAt,
    string? RegisteredBy,
    DateTimeOffset? ReadinessReportedAt,
    DateTimeOffset? BootstrapRefreshedAt,
    DateTimeOffset? BlocklistRefreshedAt,
    bool ServiceWorkerInstalled,
    string Readiness,
    string? StaleBecause);

public static class WorkstationReadiness
{
    public const string Ready = "ready";
    public const string Stale = "stale";
    public static readonly TimeSpan MaxAge = TimeSpan.FromHours(24);

    /// <summary>Ready = reported, bootstrap and block list refreshed within 24 hours, service worker installed.</summary>
    public static (string State, string? Because) Assess(Workstation w, DateTimeOffset now)
    {
        var reasons = new List<string>();
        if (w.ReadinessReportedAt is null)
        {
            reasons.Add("never reported");
        }
        else
        {
            if (w.BootstrapRefreshedAt is null || now - w.BootstrapRefreshedAt > MaxAge)
            {
                reasons.Add(w.BootstrapRefreshedAt is null ? "bootstrap never downloaded" : "bootstrap older than 24 hours");
            }
            if (w.BlocklistRefreshedAt is null || now - w.BlocklistRefreshedAt > MaxAge)
            {
                reasons.Add(w.BlocklistRefreshedAt is null ? "block list never downloaded" : "block list older than 24 hours");
            }
            if (!w.ServiceWorkerInstalled)
            {
                reasons.Add("service worker not installed");
            }
        }
        return reasons.Count == 0 ? (Ready, null) : (Stale, string.Join("; ", reasons));
    }
}

/// <summary>Registering and listing workstations within the signed-in person's libraries.</summary>
public class WorkstationRegistry(CircDbContext db, UserScope scope, AuditLog audit)
{
    public async Task<List<WorkstationRow>> ListAsync(CancellationToken ct = default)
    {
        var path = await scope.SubtreePathAsync(ct);
        if (path is null)
        {
            return [];
        }
        var rows = await db.Workstations.AsNoTracking().Include(w => w.OrgUnit)
            .Where(w => w.OrgUnit!.Path.StartsWith(path))
            .OrderBy(w => w.Name)
            .ToListAsync(ct);
        var now = DateTimeOffset.UtcNow;
        return rows.Select(w => ToRow(w, now)).ToList();
    }

    public async Task<WorkstationRow?> FindAsync(string name, CancellationToken ct = default)
    {
        var path = await scope.SubtreePathAsync(ct);
        if (path is null)
        {
            return null;
        }
        var w = await db.Workstations.AsNoTracking().Include(x => x.OrgUnit)
            .SingleOrDefaultAsync(x => x.Name == name && x.OrgUnit!.Path.StartsWith(path), ct);
        return w is null ? null : ToRow(w, DateTimeOffset.UtcNow);
    }

    public async Task<RegistrationOutcome> RegisterAsync(WorkstationRegistration input, CancellationToken ct = default)
    {
        var check = new WorkstationRegistrationValidator().Validate(input);
        if (!check.IsValid)
        {
            return new(RegistrationStatus.Invalid, new Dictionary<string, string[]>(check.ToDictionary()));
        }
        var name = input.Name!.Trim();
        var shortName = input.Org!.Trim().ToUpperInvariant();
        var reachable = await scope.ReachableOrgsAsync(ct);
        var org = await reachable.SingleOrDefaultAsync(o => o.ShortName.ToUpper() == shortName, ct);
        if (org is null)
        {
            return new(RegistrationStatus.Invalid, Error(nameof(WorkstationRegistration.Org), $"'{input.Org.Trim()}' is not one of your libraries."));
        }
        var upper = name.ToUpperInvariant();
        if (await db.Workstations.AnyAsync(w => w.Name.ToUpper() == upper, ct))
        {
            return Taken(name);
        }
        var workstation = new Workstation
        {
            Name = name,
            OrgUnitId = org.Id,
            RegisteredAt = DateTimeOffset.UtcNow,
            RegisteredBy = scope.UserName,
        };
        db.Workstations.Add(workstation);
        audit.Add("workstation.registered", target: $"workstation {name}", detail: $"org {org.ShortName}", orgUnitId: org.Id);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Two desks registering the same name at once: the second loses, as if it had checked a moment later.
            db.ChangeTracker.Clear();
            return Taken(name);
        }
        workstation.OrgUnit = org;
        return new(RegistrationStatus.Registered, Empty, ToRow(workstation, DateTimeOffset.UtcNow));
    }

    private static readonly IReadOnlyDictionary<string, string[]> Empty = new Dictionary<string, string[]>();

    private static RegistrationOutcome Taken(string name) =>
        new(RegistrationStatus.Conflict, Error(nameof(WorkstationRegistration.Name), $"A workstation named '{name}' is already registered."));

    private static Dictionary<string, string[]> Error(string field, string message) => new() { [field] = [message] };

    private static WorkstationRow ToRow(Workstation w, DateTimeOffset now)
    {
        var (state, because) = WorkstationReadiness.Assess(w, now);
        return new WorkstationRow(
            w.Id, w.Name, w.OrgUnit?.ShortName ?? "", w.OrgUnit?.Name ?? "", w.RegisteredAt, w.RegisteredBy,
            w.ReadinessReportedAt, w.BootstrapRefreshedAt, w.BlocklistRefreshedAt, w.ServiceWorkerInstalled, state, because);
    }
}
