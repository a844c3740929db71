package io.outpost.cloud.shell;

import io.outpost.cloud.CloudErrorCode;
import io.outpost.cloud.web.ApiTokens;
import io.outpost.common.OutpostException;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code cloud:token-revoke <id>}: revokes a REST API token at once. */
@Service
@Command(scope = "cloud", name = "token-revoke", description = "Revokes a REST API token by its id")
public class TokenRevokeCommand implements Action {

    @Argument(index = 0, name = "id", description = "The token's id (the part before the dot)", required = true)
    String id;

    @Reference
    ApiTokens tokens;

    @Override
    public Object execute() {
        if (!tokens.revoke(id)) {
            throw new OutpostException(CloudErrorCode.NOT_FOUND, "no token '" + id + "'");
        }
        System.out.println("token " + id + " revoked");
        return null;
    }
}
