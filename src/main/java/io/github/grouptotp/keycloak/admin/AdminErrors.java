package io.github.grouptotp.keycloak.admin;

import jakarta.ws.rs.core.Response;

import org.keycloak.services.ErrorResponseException;

/**
 * The admin resource's refusals, all in Keycloak's own shape: {@code {"error": ..., "error_description": ...}}, the
 * description in words for the admin who called.
 */
final class AdminErrors {

    private AdminErrors() {
    }

    static ErrorResponseException badRequest(String description) {
        return new ErrorResponseException("invalid_request", description, Response.Status.BAD_REQUEST);
    }

    static ErrorResponseException notFound(String description) {
        return new ErrorResponseException("not_found", description, Response.Status.NOT_FOUND);
    }

    /** The call cannot be done in this realm as it is set up; nothing was changed. */
    static ErrorResponseException conflict(String error, String description) {
        return new ErrorResponseException(error, description, Response.Status.CONFLICT);
    }
}
