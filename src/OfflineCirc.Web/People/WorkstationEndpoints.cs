namespace OfflineCirc.Web.People;

public static class WorkstationEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/workstations", async (WorkstationRegistry registry, CancellationToken ct) =>
            Results.Ok(await registry.ListAsync(ct)));

        api.MapGet("/workstations/{name}", async (string name, WorkstationRegistry registry, CancellationToken ct) =>
            await registry.FindAsync(name, ct) is { } row
                ? Results.Ok(row)
                : Results.Problem(title: "Not found in your libraries.", detail: $"No workstation named '{name}' in your libraries.", statusCode: StatusCodes.Status404NotFound));

        api.MapPost("/workstations", RegisterAsync).RequireAuthorization(PeopleSetup.StaffOrAbove);
    }

    private static async Task<IResult> RegisterAsync(WorkstationRegistration request, WorkstationRegistry registry, CancellationToken ct)
    {
        var outcome = await registry.RegisterAsync(request, ct);
        return outcome.Status switch
        {
            RegistrationStatus.Registered => Results.Created(
                $"/api/workstations/{Uri.EscapeDataString(outcome.Workstation!.Name)}",
                new { name = outcome.Workstation.Name, org = outcome.Workstation.Org }),
            RegistrationStatus.Conflict => Results.Problem(
                title: "That workstation name is taken.",
                detail: outcome.Errors.Values.SelectMany(e => e).FirstOrDefault(),
                statusCode: StatusCodes.Status409Conflict),
            _ => Results.ValidationProblem(outcome.Errors, title: "The workstation could not be registered."),
        };
    }
}
