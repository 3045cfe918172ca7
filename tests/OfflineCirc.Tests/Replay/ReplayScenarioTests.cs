using OfflineCirc.Core.Data;
using OfflineCirc.Tests.Infrastructure;

namespace OfflineCirc.Tests.Replay;

/// <summary>Runs every scenario of <see cref="ReplayScenarios"/> against a real, freshly emptied database.</summary>
public class ReplayScenarioTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    public static TheoryData<string> Names => new(ReplayScenarios.All.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Scenario(string name)
    {
        var scenario = ReplayScenarios.All[name];
        var world = await ReplayWorld.CreateAsync(db);
        var txId = await scenario.Arrange(world);

        await world.RunAsync();

        var result = await world.ResultAsync(txId);
        Assert.True(scenario.Status == result.Status,
            $"{name}: expected {scenario.Status}, got {SnakeCaseEnum.ToSnake(result.Status)} [{string.Join(", ", result.Codes)}] {result.Message}");
        Assert.Equal(scenario.Codes.Order(), result.Codes.Order());
        Assert.False(string.IsNullOrWhiteSpace(result.Message));
        Assert.Equal(1, result.Run);
        Assert.Equal("admin@test", result.ProcessedBy);
        if (scenario.Check is not null)
        {
            await scenario.Check(world, result);
        }
    }
}
