using Acme.Server.Hosting;
using Acme.Server.Jws;
using Acme.Server.Protocol.Problems;
using Acme.Server.Storage;

namespace Acme.Server.Workflows;

/// <summary>Account key roll-over with every check of RFC 8555 §7.3.5.</summary>
public sealed class KeyChangeService(Database db, IAccountStore accounts, IAuditStore audit, AcmeUrls urls)
{
    public async Task<AccountRow> ChangeKeyAsync(AcmeRequest request, CancellationToken ct)
    {
        // §7.3.5 check 1: the outer JWS was verified by the reader, signed by the account (kid).
        var account = request.RequiredAccount;
        if (request.IsPostAsGet)
        {
            throw new AcmeProblemException(AcmeProblems.Malformed("keyChange needs an inner JWS as its payload"));
        }

        // Checks 2-3: the payload is a JWS with a jwk, signed by that new key.
        var inner = JwsParser.Parse(request.Jws.Payload, JwsRules.KeyChangeInner);
        var newKey = inner.Header.Key!;
        if (!JwsSignatureVerifier.VerifySignature(inner, newKey))
        {
            throw new AcmeProblemException(AcmeProblems.Malformed("The inner keyChange JWS signature does not verify with its jwk"));
        }

        // Check 4: inner and outer url are the same.
        if (!string.Equals(inner.Header.Url, request.Url, StringComparison.Ordinal))
        {
            throw new AcmeProblemException(AcmeProblems.Malformed($"The inner JWS url '{inner.Header.Url}' differs from the outer url '{request.Url}'"));
        }

        var payload = PayloadReader.RequireObject(inner.PayloadJson(), "The inner keyChange JWS");

        // Check 5: the inner payload names the account of the outer kid.
        var accountUrl = PayloadReader.OptionalString(payload, "account");
        if (!string.Equals(accountUrl, urls.Account(account.Id), StringComparison.Ordinal))
        {
            throw new AcmeProblemException(AcmeProblems.Unauthorized($"The inner payload's account '{accountUrl}' is not the signing account"));
        }

        // Check 6: oldKey is the account's current key.
        if (!PayloadReader.TryGet(payload, "oldKey", out var oldKeyJson))
        {
            throw new AcmeProblemException(AcmeProblems.Malformed("The inner payload has no oldKey"));
        }

        var oldKey = JsonWebKey.Parse(oldKeyJson);
        if (oldKey.Thumbprint != account.KeyThumbprint)
        {
            throw new AcmeProblemException(AcmeProblems.Unauthorized("oldKey is not the account's current key"));
        }

        if (newKey.Thumbprint == account.KeyThumbprint)
        {
            throw new AcmeProblemException(AcmeProblems.Malformed("The new key is the account's current key"));
        }

        // Check 7: no account already uses the new key (409 with its Location).
        var holder = await db.ReadAsync(c => accounts.FindByThumbprintAsync(c, newKey.Thumbprint), ct);
        if (holder is not null)
        {
            throw new AcmeProblemException(AcmeProblems.KeyInUse("The new key is already used by an account", urls.Account(holder.Id)));
        }

        try
        {
            var changed = await db.TryWriteAsync(async (c, tx) =>
            {
                if (!await accounts.ReplaceKeyAsync(c, tx, account.Id, account.KeyThumbprint, newKey.Thumbprint, newKey.ToJson(), newKey.SubjectPublicKeyInfo))
                {
                    return false;
                }

                await audit.AppendAsync(c, tx, new AuditEvent("account.key-changed", "account:" + account.Id,
                    $"key {account.KeyThumbprint} replaced by {newKey.Thumbprint}") { AccountId = account.Id });
                return true;
            }, ct);
            if (!changed)
            {
                throw new AcmeProblemException(AcmeProblems.ConflictingState("The account key changed during this request; fetch the account and retry"));
            }
        }
        catch (System.Data.Common.DbException e) when (StorageErrors.IsUniqueViolation(e))
        {
            var winner = await db.ReadAsync(c => accounts.FindByThumbprintAsync(c, newKey.Thumbprint), ct);
            throw new AcmeProblemException(AcmeProblems.KeyInUse("The new key is already used by an account", urls.Account(winner?.Id ?? account.Id)));
        }

        return await db.ReadAsync(c => accounts.FindAsync(c, account.Id), ct) ?? account;
    }
}
