using Microsoft.AspNetCore.Mvc.RazorPages;
using OfflineCirc.Core.Model;
using OfflineCirc.Web.People;

namespace OfflineCirc.Web.Pages;

public class IndexModel(UserScope scope) : PageModel
{
    public string UserName { get; private set; } = "";
    public string HomeOrg { get; private set; } = "";
    public IReadOnlyList<string> RoleNames { get; private set; } = [];

    public async Task OnGetAsync()
    {
        UserName = scope.UserName;
        var home = await scope.HomeAsync();
        HomeOrg = home is null ? "none" : $"{home.Name} ({home.ShortName})";
        RoleNames = Roles.All.Where(User.IsInRole).ToList();
    }
}
