using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using OfflineCirc.Core.Data;
using OfflineCirc.Core.Model;

namespace OfflineCirc.Web.People;

/// <summary>What the signed-in person may reach: their home org unit and everything below it.</summary>
public class UserScope(IHttpContextAccessor http, CircDbContext db)
{
    private OrgUnit? _home;

    public ClaimsPrincipal User => http.HttpContext?.User ?? new ClaimsPrincipal();

    public string UserName => User.Identity?.Name ?? "system";

    public string? UserId => User.FindFirstValue(ClaimTypes.NameIdentifier);

    public bool IsConsortiumAdministrator => User.IsInRole(Roles.ConsortiumAdministrator);

    public bool CanAdminister => User.IsInRole(Roles.Administrator) || IsConsortiumAdministrator;

    public bool CanUpload => CanAdminister || User.IsInRole(Roles.Staff);

    public bool CanReadReports => CanAdminister || User.IsInRole(Roles.Auditor);

    /// <summary>The home org unit's id as the sign-in says it; null when it says none.</summary>
    public int? HomeOrgId =>
        User.FindFirstValue(HomeOrgClaimsFactory.HomeOrgClaim) is { } claim && int.TryParse(claim, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : null;

    public async Task<OrgUnit?> HomeAsync(CancellationToken ct = default)
    {
        if (_home is not null)
        {
            return _home;
        }
        if (HomeOrgId is not { } id)
        {
            return null;
        }
        _home = await db.OrgUnits.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, ct);
        return _home;
    }

    /// <summary>
    /// Raw SQL's form of the subtree: true when the org path <paramref name="path"/> lies inside it, given the two
    /// parameters <see cref="AddReach"/> adds at <c>$2</c> and <c>$3</c> (reaches everything, home library). It is the
    /// rule of <see cref="SubtreePathAsync"/>, read in the statement it guards: no home library reaches nothing.
    /// </summary>
    public static string ReachesSql(string path) => $"($2 OR starts_with({path}, (SELECT h.path FROM org_units h WHERE h.id = $3)))";

    /// <summary>The parameters <see cref="ReachesSql"/> reads, added as a statement's second and third.</summary>
    public void AddReach(NpgsqlParameterCollection parameters) => AddReach(parameters, Reach);

    /// <summary>
    /// The subtree as one number, for what is kept per reach: <see cref="Everything"/>, or the home library's id; null,
    /// without a home library, reaches nothing.
    /// </summary>
    public int? Reach => IsConsortiumAdministrator ? Everything : HomeOrgId;

    /// <summary>The <see cref="Reach"/> of a consortium administrator.</summary>
    public const int Everything = -1;

    /// <summary>The parameters <see cref="ReachesSql"/> reads for a <see cref="Reach"/>.</summary>
    public static void AddReach(NpgsqlParameterCollection parameters, int? reach)
    {
        parameters.Add(new NpgsqlParameter { Value = reach == Everything });
        parameters.Add(new NpgsqlParameter { Value = reach is { } home and not Everything ? home : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer });
    }

    /// <summary>Path prefix of the reachable subtree; "/" reaches everything.</summary>
    public async Task<string?> SubtreePathAsync(CancellationToken ct = default)
    {
        if (IsConsortiumAdministrator)
        {
            return "/";
        }
        return (await HomeAsync(ct))?.Path;
    }

    public async Task<bool> ReachesAsync(int orgUnitId, CancellationToken ct = default)
    {
        var path = await SubtreePathAsync(ct);
        if (path is null)
        {
            return false;
        }
        if (path == "/")
        {
            return true;
        }
        return await db.OrgUnits.AnyAsync(o => o.Id == orgUnitId && o.Path.StartsWith(path), ct);
    }

    public async Task<IQueryable<OrgUnit>> ReachableOrgsAsync(CancellationToken ct = default)
    {
        var path = await SubtreePathAsync(ct) ?? "\u0000";
        return db.OrgUnits.AsNoTracking().Where(o => o.Path.StartsWith(path));
    }
}
