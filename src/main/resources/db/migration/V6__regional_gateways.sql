-- How the recorded NAT gateway is deployed (AvailabilityMode): ZONAL (flow logs on its network interfaces) or
-- REGIONAL (one flow log on the gateway itself). interface_ids and interface_failures hold the resources the flow
-- logs were asked for, whichever they are; recordings made before this migration were all of zonal gateways.
alter table recording add column gateway_mode varchar(16);
update recording set gateway_mode = 'ZONAL' where interface_ids <> '';
