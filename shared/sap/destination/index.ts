export { createDestinationServiceClient, destinationFilterLiteral, destinationListFilter, type DestinationListFilter, type DestinationServiceClient, type DestinationServiceConfig, type FoundDestination } from './destinationService';
export { AuthToken, Destination, type DestinationProperties } from './destinationSchemas';
