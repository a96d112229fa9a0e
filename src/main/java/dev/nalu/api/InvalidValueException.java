package dev.nalu.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonMappingException;

/**
 * A value in a request body that is well-formed JSON of the right JSON type but not of the shape its field takes
 * (a range that is not [lo, hi] or [[lo, hi], …], a model that is neither "auto" nor {"layers": […]}), thrown by a
 * deserializer. Jackson adds the path to the field as the exception leaves each object and array, and
 * {@link ProblemHandler} answers it as a 400 /problems/invalid-field naming that path, as the checks after binding
 * do.
 *
 * <p>The message is what follows the field's name in the problem's detail: "must be a number, got \"a\"", or
 * ": …" to follow it with a colon.
 */
public class InvalidValueException extends JsonMappingException {
    private static final long serialVersionUID = 1L;

    public InvalidValueException(JsonParser parser, String message) {
        super(parser, message);
    }

    /** The problem of the value at {@code index} of the array being read. */
    public static InvalidValueException at(JsonParser parser, int index, String message) {
        InvalidValueException e = new InvalidValueException(parser, message);
        e.prependPath(null, index);
        return e;
    }

    /** The problem's detail, once the field's path is known. */
    public String detail(String field) {
        String message = getOriginalMessage();
        return message.startsWith(":") ? field + message : field + " " + message;
    }
}
