using System.Text.Json;
using Acme.Server.Hosting;
using Acme.Server.Jws;
using Acme.Server.Protocol;
using Acme.Server.Protocol.Problems;
using System.Data.Common;
using Acme.Server.Storage;
using Acme.Validation.Codecs;
using Microsoft.Extensions.Options;

namespace Acme.Server.Workflows;

/// <summary>newAccount, account update and deactivation (RFC 8555 §7.3).</summary>
public sealed class AccountService(
    Database db, IAccountStore accounts, IAuditStore audit, AccountAdministration administration, IOptions<AcmeServerOptions> options, TimeProvider time)
{
    private readonly AcmeServerOptions _options = options.Value;

    /// <summary>Creates an account or finds the existing one for the key. Created is false for an existing account.</summary>
    public async Task<(AccountRow Account, bool Created)> NewAccountAsync(AcmeRequest request, CancellationToken ct)
    {
        var payload = PayloadReader.RequireObject(request.Payload, "newAccount");
        var existing = await db.ReadAsync(c => accounts.FindByThumbprintAsync(c, request.Key.Thumbprint), ct);
        if (existing is not null)
        {
            // RFC 8555 §7.3.1: an existing key returns its account, and the request's fields are ignored.
            if (existing.Status == AccountStatus.Valid && existing.SuspendedAt is not null)
            {
                throw new AcmeProblemException(AcmeRequestReader.AccountSuspended());
            }

            return existing.Status == AccountStatus.Valid
                ? (existing, false)
                : throw new AcmeProblemException(AcmeProblems.AccountDeactivated($"The account for this key is {StatusText.Of(existing.Status)}"));
        }

        if (PayloadReader.OptionalBool(payload, "onlyReturnExisting") == true)
        {
            // RFC 8555 §7.3.1: no account for this key.
            throw new AcmeProblemException(AcmeProblems.AccountDoesNotExist("No account exists for this key"));
        }

        var agreed = PayloadReader.OptionalBool(payload, "termsOfServiceAgreed") == true;
        if (_options.TermsOfService is not null && !agreed)
        {
            // RFC 8555 §7.3, SBR 4.1.2: terms are published, so the client must agree to them.
            throw new AcmeProblemException(AcmeProblems.Malformed($"You must agree to the terms of service at {_options.TermsOfService} (termsOfServiceAgreed: true)"));
        }

        var contacts = ContactValidator.Validate(PayloadReader.OptionalStringArray(payload, "contact") ?? []);
        var eab = await CheckExternalAccountBindingAsync(payload, request, ct);

        var now = time.GetUtcNow();
        var row = new AccountRow
        {
            Id = ResourceIds.New(now),
            KeyThumbprint = request.Key.Thumbprint,
            Jwk = request.Key.ToJson(),
            KeySpki = request.Key.SubjectPublicKeyInfo,
            Contacts = JsonSerializer.Serialize(contacts.ToList(), AcmeJsonContext.Default.ListString),
            Status = AccountStatus.Valid,
            TosAgreed = agreed ? 1 : 0,
            EabKeyId = eab?.KeyId,
            EabJws = eab?.Jws,
            CreatedAt = now.ToUnixTimeMilliseconds(),
        };

        try
        {
            var bound = await db.TryWriteAsync(async (c, tx) =>
            {
                await accounts.InsertAsync(c, tx, row);
                await audit.AppendAsync(c, tx, new AuditEvent("account.created", "account:" + row.Id,
                    $"key {row.KeyThumbprint}; contacts {row.Contacts}; terms agreed {agreed}; eab {eab?.KeyId ?? "none"}") { AccountId = row.Id });
                return eab is null || await accounts.BindEabKeyAsync(c, tx, eab.KeyId, row.Id);
            }, ct);
            if (!bound)
            {
                throw new AcmeProblemException(AcmeProblems.Unauthorized($"The external account key '{eab!.KeyId}' is already bound to another account"));
            }
        }
        catch (DbException e) when (StorageErrors.IsUniqueViolation(e))
        {
            // A concurrent newAccount with the same key won; return its account (RFC 8555 §7.3.1).
            var winner = await db.ReadAsync(c => accounts.FindByThumbprintAsync(c, request.Key.Thumbprint), ct);
            return (winner ?? throw new InvalidOperationException("account vanished after a key conflict", e), false);
        }

        return (row, true);
    }

    /// <summary>Fetch, update contacts, or deactivate (RFC 8555 §7.3.2, §7.3.6).</summary>
    public async Task<AccountRow> UpdateAsync(AcmeRequest request, string accountId, CancellationToken ct)
    {
        var account = request.RequiredAccount;
        if (account.Id != accountId)
        {
            throw new AcmeProblemException(AcmeProblems.Unauthorized("The request is signed by a different account"));
        }

        if (request.Payload is not { } payload)
        {
            return account;
        }

        var status = PayloadReader.OptionalString(payload, "status");
        if (status is not null && status != "deactivated")
        {
            // RFC 8555 §7.3.6: the only status a client may set is "deactivated".
            throw new AcmeProblemException(AcmeProblems.Malformed($"A client may only set the account status to 'deactivated', not '{status}'"));
        }

        var contacts = PayloadReader.OptionalStringArray(payload, "contact") is { } given ? ContactValidator.Validate(given) : null;
        await db.WriteAsync(async (c, tx) =>
        {
            if (contacts is not null)
            {
                var json = JsonSerializer.Serialize(contacts.ToList(), AcmeJsonContext.Default.ListString);
                await accounts.UpdateContactsAsync(c, tx, account.Id, json);
                await audit.AppendAsync(c, tx, new AuditEvent("account.contacts-updated", "account:" + account.Id, json) { AccountId = account.Id });
            }

            if (status is not null && !await accounts.DeactivateAsync(c, tx, account.Id))
            {
                throw new AcmeProblemException(AcmeProblems.AccountDeactivated("The account is no longer valid"));
            }

            if (status is not null)
            {
                // RFC 8555 §7.3.6: the server SHOULD cancel pending operations authorized by the account's key.
                var cancelled = await administration.CancelPendingWorkAsync(c, tx, account.Id, "account:" + account.Id, "the client");
                await audit.AppendAsync(c, tx, new AuditEvent("account.deactivated", "account:" + account.Id,
                    $"deactivated by the client (RFC 8555 §7.3.6); {cancelled} pending authorizations deactivated") { AccountId = account.Id });
            }

            return true;
        }, ct);

        return await db.ReadAsync(c => accounts.FindAsync(c, account.Id), ct) ?? account;
    }

    private sealed record BoundEab(string KeyId, string Jws);

    private async Task<BoundEab?> CheckExternalAccountBindingAsync(JsonElement payload, AcmeRequest request, CancellationToken ct)
    {
        if (!PayloadReader.TryGet(payload, "externalAccountBinding", out var eab))
        {
            // RFC 8555 §7.3.4: when the CA requires binding, a request without it is refused.
            return _options.ExternalAccountRequired
                ? throw new AcmeProblemException(AcmeProblems.ExternalAccountRequired("This server requires an externalAccountBinding in newAccount"))
                : null;
        }

        var keyId = PeekKeyId(eab);
        var stored = keyId is null ? null : await db.ReadAsync(c => accounts.FindEabKeyAsync(c, keyId), ct);
        if (stored?.AccountId is not null)
        {
            throw new AcmeProblemException(AcmeProblems.Unauthorized($"The external account key '{keyId}' is already bound to an account"));
        }

        var outcome = ExternalAccountBindingVerifier.Verify(eab, request.Url, request.Key,
            kid => stored is not null && kid == stored.KeyId ? new ExternalAccountKey(stored.KeyId, stored.HmacKey, stored.Algorithm) : null);
        if (!outcome.IsSuccess)
        {
            throw new AcmeProblemException(AcmeProblems.FromFailure(outcome.Failure));
        }

        return new BoundEab(outcome.Value, eab.GetRawText());
    }

    private static string? PeekKeyId(JsonElement eab)
    {
        if (eab.ValueKind != JsonValueKind.Object || !eab.TryGetProperty("protected", out var p) || p.ValueKind != JsonValueKind.String ||
            !StrictBase64Url.TryDecode(p.GetString(), out var bytes))
        {
            return null;
        }

        try
        {
            // Only a peek: the verifier parses the binding again and reports what is wrong with it.
            var header = StrictJson.ParseObject(bytes, "the externalAccountBinding protected header");
            return header.TryGetProperty("kid", out var kid) && kid.ValueKind == JsonValueKind.String ? kid.GetString() : null;
        }
        catch (AcmeProblemException)
        {
            return null;
        }
    }
}
