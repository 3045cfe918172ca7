using System.Data.Common;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using OfflineCirc.Core.Model;

namespace OfflineCirc.Web.People;

/// <summary>
/// Forgets this node's sign-in readings (<see cref="AccountChecks"/>) when it saves a change to an account, a role, a
/// claim or a token itself, before and after the save: the request that made the change may answer before the
/// database's notice of it arrives, and the next request must already see it. Identity's stores and the token pages
/// save through here; a bulk update that bypasses the change tracker calls <see cref="AccountChecks.Changed"/> itself.
/// </summary>
public sealed class AccountChangeInterceptor(AccountChecks checks) : SaveChangesInterceptor, IDbTransactionInterceptor
{
    // Contexts saving an account change: marked before the save, cleared after it, or after its transaction ends.
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbContext, object> _saving = [];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Forget(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    // Inside a transaction of its own (the account pages keep an audit row with each change), the change is only
    // visible once it commits: readings made before then are forgotten again at the commit.
    void IDbTransactionInterceptor.TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => ForgetIfMarked(eventData.Context);

    Task IDbTransactionInterceptor.TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken)
    {
        ForgetIfMarked(eventData.Context);
        return Task.CompletedTask;
    }

    void IDbTransactionInterceptor.TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => ForgetIfMarked(eventData.Context);

    Task IDbTransactionInterceptor.TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken)
    {
        ForgetIfMarked(eventData.Context);
        return Task.CompletedTask;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => ForgetIfMarked(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        ForgetIfMarked(eventData.Context);
        return Task.CompletedTask;
    }

    private void Forget(DbContext? context)
    {
        if (context is null || !context.ChangeTracker.Entries().Any(e => e.State is not (EntityState.Unchanged or EntityState.Detached) && IsAccount(e.Entity)))
        {
            return;
        }
        _saving.AddOrUpdate(context, this);
        checks.Changed();
    }

    private void Saved(DbContext? context)
    {
        if (context is null || !_saving.TryGetValue(context, out _))
        {
            return;
        }
        checks.Changed();
        if (context.Database.CurrentTransaction is null)
        {
            _saving.Remove(context);
        }
    }

    private void ForgetIfMarked(DbContext? context)
    {
        if (context is not null && _saving.Remove(context))
        {
            checks.Changed();
        }
    }

    private static bool IsAccount(object entity) => entity is AppUser or IdentityRole or IdentityUserRole<string> or IdentityUserClaim<string>
        or IdentityRoleClaim<string> or ApiToken;
}
