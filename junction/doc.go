// Package junction is a typed client for Junction's at-home phlebotomy
// lab-testing API, and the wire model of that API: the request and
// response bodies of its endpoints, built from the module's own values
// ([order.Order], [order.Address], [appointment.Appointment],
// [provider.AreaInfo], …), so that what one call returns the next accepts
// as it is. The sandbox package answers with the same types.
package junction
